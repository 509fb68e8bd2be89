"""403, 404, 429 and 500 look like Evac, speak the reader's language and lead back.

The 500 test has no database access at all (no django_db mark: pytest-django refuses any
query), so the page is proved to render when the database is what failed.
"""

import pytest
from django.test import Client, override_settings

ERROR_URLS = "tests.core.error_urls"


def fetch(path: str, language: str = "en"):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    with override_settings(ROOT_URLCONF=ERROR_URLS, DEBUG=False):
        return client.get(path)


def page(response) -> str:
    return response.content.decode()


def test_a_server_error_gets_evacs_page_without_touching_the_database():
    response = fetch("/p/kz/broken/")
    assert response.status_code == 500
    assert "Something went wrong" in page(response)
    assert 'href="/static/css/evac.css"' in page(response)
    assert '<a href="/">Back to the start page</a>' in page(response)


def test_a_server_error_on_a_staff_page_leads_back_to_the_staff_start():
    response = fetch("/ops/kz/broken/")
    assert '<a href="/staff/">Back to your operations</a>' in page(response)


def test_a_server_error_is_told_in_the_readers_language():
    assert "Щось пішло не так" in page(fetch("/p/kz/broken/", "uk"))
    assert "Что-то пошло не так" in page(fetch("/ops/kz/broken/", "ru"))


@pytest.mark.django_db
def test_a_missing_page_is_a_styled_404_in_the_readers_language():
    response = fetch("/no/such/page/", "uk")
    assert response.status_code == 404
    assert "Сторінку не знайдено" in page(response)
    assert '<html lang="uk">' in page(response)
    assert "На початкову сторінку" in page(response)


@pytest.mark.django_db
def test_a_refusal_is_a_styled_403_with_a_way_back():
    response = fetch("/ops/kz/refused/", "uk")
    assert response.status_code == 403
    assert "Немає доступу" in page(response)
    assert '<a href="/staff/">' in page(response)
    assert "Нет доступа" in page(fetch("/ops/kz/refused/", "ru"))


@pytest.mark.django_db
def test_a_rate_limit_is_a_styled_429_rather_than_a_refusal():
    response = fetch("/p/kz/limited/")
    assert response.status_code == 429
    assert "Please wait a few minutes" in page(response)
    assert '<a href="/">Back to the start page</a>' in page(response)

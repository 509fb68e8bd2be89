import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_browser_language_gives_the_ukrainian_page(client, operation, flight):
    page = client.get(
        reverse("portal:home", args=[operation.slug]), HTTP_ACCEPT_LANGUAGE="uk"
    ).content.decode()
    assert "Я не можу виїхати: зареєструватися" in page
    assert "Відкрито для бронювання" in page and "місцевий час, UTC+5" in page
    assert '<html lang="uk">' in page


def test_the_footer_switches_the_language(client, operation):
    home = reverse("portal:home", args=[operation.slug])
    response = client.post(reverse("set_language"), {"language": "uk", "next": home})
    assert response.status_code == 302
    assert "Мова" in client.get(home).content.decode()


def test_each_public_page_is_small(client, operation, flight):
    for name in ("home", "register", "status"):
        page = client.get(reverse(f"portal:{name}", args=[operation.slug]))
        assert page.status_code == 200 and len(page.content) < 30_000, name

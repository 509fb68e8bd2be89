"""A coordinator reading Ukrainian or Russian meets no English on any staff page; English
is the default; the header's switch changes the language for good; dates follow it.

How a page is read and what counts as data: tests/core/staff_reading.py.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from evac.core.languages import STAFF_LANGUAGES
from tests.core import staff_reading
from tests.core.staff_reading import (
    TRANSLATED,
    check,
    read,
    reading,
    staff_pages,
)

pytestmark = pytest.mark.django_db

# The world the pages are walked in (a fixture).
world = staff_reading.world


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_coordinator_reading_ukrainian_or_russian_meets_no_english_on_the_staff_pages(
    world, language
):
    client = reading(language, world.alice)
    pages, left = 0, {}
    for url in staff_pages(world):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue  # an action (POST only), a file, or the JSON the gate page polls
        pages += 1
        if found := check(response, language=language):
            left[url] = found
    assert left == {}
    assert pages >= 40


# What the pages say after something was done, or refused ---------------------------------


def test_a_browser_that_asks_for_no_language_gets_english(world):
    dashboard = reverse("operations:dashboard", args=[world.operation.slug])
    html = reading("", world.alice).get(dashboard).content.decode()
    assert read(html).lang == "en"
    assert "Dashboard" in html and "Log out" in html


def test_the_header_switch_changes_the_language_and_the_choice_stays(world):
    client = reading("en", world.alice)
    manifest = reverse("flights:manifest", args=[world.operation.slug, world.flight.pk])
    page = client.get(manifest).content.decode()
    switch = re.search(r'<form action="/i18n/setlang/".*?</form>', page, re.S).group()
    options = re.findall(r'<option value="(\w+)"', switch)
    assert tuple(options) == STAFF_LANGUAGES == ("en", "uk", "ru")
    assert f'name="next" type="hidden" value="{manifest}"' in switch

    response = client.post(reverse("set_language"), {"language": "uk", "next": manifest})

    assert response.status_code == 302 and response["Location"] == manifest
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"
    page = client.get(manifest).content.decode()  # the browser still asks for English
    assert read(page).lang == "uk" and "Маніфест рейсу" in page and "Log out" not in page
    assert '<option value="uk" lang="uk" selected>' in page

    client.post(reverse("set_language"), {"language": "en", "next": manifest})
    assert read(client.get(manifest).content.decode()).lang == "en"


def test_a_russian_browser_gets_the_staff_pages_and_the_portal_in_russian(world):
    client = reading("ru", world.alice)
    for url in [
        reverse("operations:dashboard", args=[world.operation.slug]),
        reverse("login"),
        reverse("two_factor:security"),
    ]:
        html = client.get(url).content.decode()
        assert read(html).lang == "ru" and "Log out" not in html, url
    dashboard = client.get(reverse("operations:dashboard", args=[world.operation.slug]))
    assert "Рейсы" in dashboard.content.decode() and "Выйти" in dashboard.content.decode()
    portal = client.get(reverse("portal:home", args=[world.operation.slug])).content.decode()
    assert read(portal).lang == "ru"
    # Russian chosen in the portal's footer or the header's switch: the same.
    client = reading("en", world.alice)
    client.post(reverse("set_language"), {"language": "ru"})
    flights = client.get(reverse("flights:list", args=[world.operation.slug])).content.decode()
    assert read(flights).lang == "ru" and "<h1>Рейсы</h1>" in flights


def test_the_login_page_has_the_switch_too():
    client = reading("en")
    login = reverse("login")
    assert 'action="/i18n/setlang/"' in client.get(login).content.decode()
    client.post(reverse("set_language"), {"language": "uk", "next": login})
    page = client.get(login).content.decode()
    assert read(page).lang == "uk" and "Увійти" in page


MONTH_IN_WORDS_UK = (
    r"\d{1,2} (січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня"
    r"|листопада|грудня) \d{4}"
)


def test_dates_follow_the_language(world):
    """13 Jan 2030 in English, 13.01.2030 in Ukrainian; a month in words in its genitive."""
    manifest = reverse("flights:manifest", args=[world.operation.slug, world.flight.pk])
    closing = reverse("operations:closing", args=[world.closed[0].slug])
    english, ukrainian = reading("en", world.alice), reading("uk", world.alice)

    assert "13 Jan 2030" in english.get(manifest).content.decode()
    assert "13.01.2030" in ukrainian.get(manifest).content.decode()
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", english.get(closing).content.decode())
    assert re.search(MONTH_IN_WORDS_UK, ukrainian.get(closing).content.decode())

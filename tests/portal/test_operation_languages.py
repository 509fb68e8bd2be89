"""An operation's languages mean something: its portal speaks only them (the switch offers
them, a visitor asking for another reads the first), registration offers only them for
messages, and a broadcast is written in them (and in any other its people already read)."""

import pytest
from django.urls import reverse

from evac.notifications.forms import BroadcastForm
from evac.portal.forms import PublicPersonForm
from tests.factories import make_citizen, make_operation

pytestmark = pytest.mark.django_db


def options(page: str) -> list[str]:
    return [code for code in ("en", "uk", "ru") if f'<option value="{code}" lang="{code}"' in page]


def test_the_portal_offers_only_the_operations_languages(client):
    operation = make_operation(slug="kz-uk-ru", languages=["uk", "ru"])
    home = reverse("portal:home", args=[operation.slug])

    english_browser = client.get(home, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert options(english_browser) == ["uk", "ru"]
    # English is not the operation's: the page is in its first language.
    assert '<html lang="uk">' in english_browser
    russian = client.get(home, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru">' in russian


def test_an_operation_in_russian_only_speaks_russian_to_a_ukrainian_browser(client):
    operation = make_operation(slug="kz-ru", languages=["ru"])
    page = client.get(
        reverse("portal:register", args=[operation.slug]), HTTP_ACCEPT_LANGUAGE="uk"
    ).content.decode()
    assert '<html lang="ru">' in page
    assert options(page) == ["ru"]
    assert 'name="people-0-preferred_language"' in page


def test_an_operation_with_no_languages_chosen_offers_them_all(client):
    operation = make_operation(slug="kz-all")
    page = client.get(reverse("portal:home", args=[operation.slug])).content.decode()
    assert options(page) == ["en", "uk", "ru"]
    assert options(client.get(reverse("portal_index")).content.decode()) == ["en", "uk", "ru"]


def test_registration_offers_only_the_operations_languages_for_messages(almaty):
    form = PublicPersonForm(languages=["uk", "ru"])
    field = form.fields["preferred_language"]
    assert [code for code, _label in field.choices] == ["uk", "ru"]
    assert field.initial == "uk"  # the page is English here: not the operation's
    assert not field.valid_value("en")


def test_a_broadcast_is_written_in_the_operations_languages_and_those_its_people_read(
    almaty,
):
    operation = make_operation(slug="kz-bc", languages=["uk"])
    fields = BroadcastForm(operation=operation).fields
    assert [name for name in fields if name.startswith("text_")] == ["text_uk"]

    make_citizen(operation, almaty, preferred_language="ru")
    fields = BroadcastForm(operation=operation).fields
    assert [name for name in fields if name.startswith("text_")] == ["text_uk", "text_ru"]

"""Staff pages name a city in the reader's language: Алмати on a Ukrainian page."""

import pytest
from django.urls import reverse

from evac.places.models import City
from tests.factories import make_citizen, make_city, make_member, make_operation
from tests.logins import StaffClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def almaty() -> City:
    city = make_city("Almaty", "KZ", "Asia/Almaty")
    city.name_native, city.name_ru = "Алмати", "Алматы"
    city.save()
    return city


def test_a_city_is_named_in_each_language_with_english_as_the_fallback(almaty):
    assert [almaty.name_in(language) for language in ("en", "uk", "ru")] == [
        "Almaty",
        "Алмати",
        "Алматы",
    ]
    unnamed = make_city("Bishkek", "KG", "Asia/Bishkek")
    assert unnamed.name_in("uk") == "Bishkek"


def test_the_ukrainian_dashboard_and_citizen_list_name_the_city_in_ukrainian(almaty):
    operation = make_operation()
    make_citizen(operation, almaty)
    client = StaffClient(HTTP_ACCEPT_LANGUAGE="uk")
    client.force_login(make_member("alice", operation))
    for page in ("operations:dashboard", "people:list"):
        text = client.get(reverse(page, args=[operation.slug])).content.decode()
        assert "Алмати" in text, page
        assert ">Almaty<" not in text, page


def test_the_english_pages_keep_the_english_name(almaty):
    operation = make_operation()
    make_citizen(operation, almaty)
    client = StaffClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_member("alice", operation))
    text = client.get(reverse("people:list", args=[operation.slug])).content.decode()
    assert "Almaty" in text
    assert "Алмати" not in text

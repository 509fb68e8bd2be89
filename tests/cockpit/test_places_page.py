"""The Places page: a country's airports and main cities from the offline data, which of
them Evac holds, one click to add one, and an airport suspended or reopened from there."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from evac.operations.models import Headquarters
from evac.places.models import Airport, City
from tests.core.test_staff_translations import check, reading

pytestmark = pytest.mark.django_db

SHYMKENT = 1518980


def page(operation, country=""):
    url = reverse("operations:places", args=[operation.slug])
    return url + (f"?country={country}" if country else "")


def test_it_shows_the_operations_country_with_what_evac_holds(client, operation, nqz, alice):
    client.force_login(alice)
    response = client.get(page(operation))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sary-Arka International Airport" in html
    assert "Shymkent" in html
    assert 'id="airport-NQZ"' in html
    # NQZ is held: it can be suspended from here, not added again.
    assert reverse("operations:airport-status", args=[operation.slug, "NQZ"]) in html
    assert 'name="iata_code" value="NQZ"' not in html
    assert 'name="iata_code" value="KGF"' in html
    assert f'name="geonames_id" value="{SHYMKENT}"' in html


def test_another_country_can_be_picked(client, operation, alice):
    client.force_login(alice)
    html = client.get(page(operation, "UA")).content.decode()
    assert "Boryspil International Airport" in html
    assert "Sary-Arka" not in html


def test_an_unknown_country_shows_the_operations_own(client, operation, alice):
    client.force_login(alice)
    response = client.get(page(operation, "XX"))
    assert response.status_code == 200
    assert "Sary-Arka International Airport" in response.content.decode()


def test_a_coordinator_adds_a_city_and_an_airport_with_one_click_each(client, operation, alice):
    client.force_login(alice)
    added = client.post(
        reverse("operations:place-city-add", args=[operation.slug]),
        {"geonames_id": SHYMKENT, "country": "KZ", "name_native": "Шимкент", "name_ru": "Шымкент"},
    )
    assert added.status_code == 302
    assert added["Location"] == page(operation)
    city = City.objects.get(name="Shymkent")
    assert (city.name_native, city.name_ru) == ("Шимкент", "Шымкент")

    added = client.post(
        reverse("operations:place-airport-add", args=[operation.slug]),
        {"iata_code": "CIT", "country": "KZ"},
    )
    assert added.status_code == 302
    assert Airport.objects.get(iata_code="CIT").city == city
    html = client.get(page(operation)).content.decode()
    assert "Added as Shymkent" in html
    assert 'name="iata_code" value="CIT"' not in html


def test_adding_twice_from_the_page_does_not_duplicate(client, operation, alice):
    client.force_login(alice)
    url = reverse("operations:place-airport-add", args=[operation.slug])
    client.post(url, {"iata_code": "KGF", "country": "KZ"})
    response = client.post(url, {"iata_code": "KGF", "country": "KZ"}, follow=True)
    assert Airport.objects.filter(iata_code="KGF").count() == 1
    assert "was already there" in response.content.decode()
    assert response.redirect_chain[-1][0] == page(operation)


def test_another_countrys_places_are_added_by_headquarters_only(client, operation, alice):
    client.force_login(alice)
    html = client.get(page(operation, "UA")).content.decode()
    assert 'name="iata_code" value="KBP"' not in html
    assert "added by headquarters" in html
    url = reverse("operations:place-airport-add", args=[operation.slug])
    refused = client.post(url, {"iata_code": "KBP", "country": "UA"}, follow=True)
    assert "another country" in refused.content.decode()
    assert not Airport.objects.exists()

    chief = User.objects.create_user("chief")
    Headquarters.objects.create(user=chief)
    client.force_login(chief)
    assert 'name="iata_code" value="KBP"' in client.get(page(operation, "UA")).content.decode()
    response = client.post(url, {"iata_code": "KBP", "country": "UA"}, follow=True)
    assert Airport.objects.get(iata_code="KBP").city.country.code == "UA"
    assert response.redirect_chain[-1][0] == page(operation, "UA")


def test_a_code_the_data_lacks_is_said_on_the_page(client, operation, alice):
    client.force_login(alice)
    response = client.post(
        reverse("operations:place-airport-add", args=[operation.slug]),
        {"iata_code": "QQQ", "country": "KZ"},
        follow=True,
    )
    assert "no airport with this code" in response.content.decode()
    assert not Airport.objects.exists()


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_officers_and_viewers_look_but_add_nothing(client, operation, who, request):
    client.force_login(request.getfixturevalue(who))
    html = client.get(page(operation)).content.decode()
    assert "Sary-Arka International Airport" in html
    assert 'name="iata_code"' not in html
    for name, data in [
        ("operations:place-city-add", {"geonames_id": SHYMKENT}),
        ("operations:place-airport-add", {"iata_code": "CIT"}),
    ]:
        assert client.post(reverse(name, args=[operation.slug]), data).status_code == 403
    assert not City.objects.exists()
    assert not Airport.objects.exists()


def test_a_coordinator_of_another_operation_adds_nothing_to_ours(client, operation, dave):
    client.force_login(dave)
    assert client.get(page(operation)).status_code == 404
    url = reverse("operations:place-airport-add", args=[operation.slug])
    assert client.post(url, {"iata_code": "CIT"}).status_code == 404
    assert not Airport.objects.exists()


def test_an_airport_is_suspended_from_the_page_and_the_page_shows_it(client, operation, nqz, alice):
    client.force_login(alice)
    response = client.post(
        reverse("operations:airport-status", args=[operation.slug, "NQZ"]),
        {"status": "suspended", "note": "Runway closed", "return_to": "places"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page(operation)
    nqz.refresh_from_db()
    assert (nqz.status, nqz.status_note) == ("suspended", "Runway closed")
    assert "Runway closed" in response.content.decode()


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_a_ukrainian_or_russian_reader_meets_no_english_but_the_data(
    operation, nqz, alice, language
):
    client = reading(language, alice)
    assert check(client.get(page(operation)), language=language) == set()


def test_a_citys_names_from_the_data_are_filled_in_and_shown_in_ukrainian(client, operation, alice):
    client.force_login(alice)
    html = client.get(page(operation)).content.decode()
    assert 'name="name_native" id="uk-1526384" maxlength="120" value="Алмати"' in html
    client.post(
        reverse("operations:place-city-add", args=[operation.slug]),
        {"geonames_id": 1526384, "country": "KZ", "name_native": "Алмати", "name_ru": "Алматы"},
    )
    ukrainian = client.get(page(operation), HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Алмати" in ukrainian.split('id="city-1526384"')[1].split("</tr>")[0]

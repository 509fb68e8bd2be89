"""Places through the API: a country's candidates from the offline data, and adding one,
with the same service, rules and refusals as the Places page."""

import pytest

from evac.places.models import Airport, City
from tests.api.client import error_of, op_url, token_client

pytestmark = pytest.mark.django_db

SHYMKENT = 1518980


def test_the_operations_country_is_listed_with_what_evac_holds(operation, nur_sultan, nqz, carol):
    answer = token_client(carol).get(op_url(operation, "places/"))

    assert answer.status_code == 200
    body = answer.json()
    assert body["country"] == "KZ"
    airports = {row["iata_code"]: row for row in body["airports"]}
    assert airports["NQZ"]["airport"]["iata_code"] == "NQZ"
    assert airports["KGF"]["airport"] is None
    assert airports["KGF"]["time_zone"] == "Asia/Almaty"
    assert round(airports["KGF"]["latitude"]) == 50
    cities = body["cities"]
    assert [row["name"] for row in cities[:3]] == ["Almaty", "Astana", "Shymkent"]
    assert cities[1]["city"]["id"] == nur_sultan.pk  # Astana is held as Nur-Sultan
    assert cities[0]["population"] > cities[2]["population"]
    assert "Алмати" in cities[0]["cyrillic_names"]


def test_another_country_is_asked_for_and_an_unknown_one_is_a_field_error(operation, alice):
    client = token_client(alice)
    ukraine = client.get(op_url(operation, "places/"), {"country": "UA"})
    unknown = client.get(op_url(operation, "places/"), {"country": "XX"})
    empty = client.get(op_url(operation, "places/"), {"country": ""})

    assert "KBP" in {row["iata_code"] for row in ukraine.json()["airports"]}
    assert unknown.status_code == 400
    assert "country" in error_of(unknown)["fields"]
    assert empty.status_code == 400
    assert "country" in error_of(empty)["fields"]


def test_a_coordinator_adds_a_city_then_its_airport_and_again_adds_nothing(operation, alice):
    client = token_client(alice)
    city = client.post(
        op_url(operation, "places/cities/"),
        {"geonames_id": SHYMKENT, "name_native": "Шимкент", "name_ru": "Шымкент"},
        format="json",
    )
    airport = client.post(
        op_url(operation, "places/airports/"), {"iata_code": "cit"}, format="json"
    )
    city_again = client.post(
        op_url(operation, "places/cities/"), {"geonames_id": SHYMKENT}, format="json"
    )
    airport_again = client.post(
        op_url(operation, "places/airports/"), {"iata_code": "CIT"}, format="json"
    )

    assert (city.status_code, airport.status_code) == (201, 201)
    assert (city_again.status_code, airport_again.status_code) == (200, 200)
    assert city.json()["name_ru"] == "Шымкент"
    assert city.json()["population"] > 1_000_000
    assert airport.json()["city"] == city.json()["id"] == city_again.json()["id"]
    assert airport.json()["is_open"] is True
    assert City.objects.filter(name="Shymkent").count() == 1
    assert Airport.objects.filter(iata_code="CIT").count() == 1


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("places/airports/", {"iata_code": "QQQ"}, "iata_code"),
        ("places/airports/", {"iata_code": "C1T"}, "iata_code"),
        ("places/airports/", {}, "iata_code"),
        ("places/cities/", {"geonames_id": 1}, "geonames_id"),
        ("places/cities/", {"geonames_id": "Shymkent"}, "geonames_id"),
        ("places/cities/", {"geonames_id": str(SHYMKENT)}, "geonames_id"),
        ("places/cities/", {"geonames_id": SHYMKENT, "name_ru": "Ш" * 121}, "name_ru"),
        ("places/cities/", {"geonames_id": SHYMKENT, "name_ru": 0}, "name_ru"),
    ],
)
def test_what_the_data_lacks_is_a_400_on_its_field(operation, alice, path, body, field):
    answer = token_client(alice).post(op_url(operation, path), body, format="json")
    assert answer.status_code == 400
    assert field in error_of(answer)["fields"]
    assert not City.objects.exists()


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_officers_and_viewers_add_nothing(operation, who, request):
    client = token_client(request.getfixturevalue(who))
    city = client.post(
        op_url(operation, "places/cities/"), {"geonames_id": SHYMKENT}, format="json"
    )
    airport = client.post(
        op_url(operation, "places/airports/"), {"iata_code": "CIT"}, format="json"
    )
    assert (city.status_code, airport.status_code) == (403, 403)
    assert not City.objects.exists()
    assert not Airport.objects.exists()


def test_a_coordinator_of_another_operation_adds_nothing_to_ours(operation, dave):
    client = token_client(dave)
    answer = client.post(op_url(operation, "places/airports/"), {"iata_code": "CIT"}, format="json")
    assert answer.status_code == 404
    assert not Airport.objects.exists()


def test_a_coordinator_adds_no_airport_of_another_country(operation, alice):
    answer = token_client(alice).post(
        op_url(operation, "places/airports/"), {"iata_code": "KBP"}, format="json"
    )
    assert answer.status_code == 400
    assert "iata_code" in error_of(answer)["fields"]
    assert not Airport.objects.exists()


def test_the_candidates_carry_the_datas_names_and_an_added_city_takes_them(operation, alice):
    client = token_client(alice)
    cities = {row["name"]: row for row in client.get(op_url(operation, "places/")).json()["cities"]}
    assert (cities["Almaty"]["name_uk"], cities["Almaty"]["name_ru"]) == ("Алмати", "Алматы")
    assert cities["Karagandy"]["name_uk"] == ""
    geonames_id = cities["Almaty"]["geonames_id"]
    added = client.post(
        op_url(operation, "places/cities/"), {"geonames_id": geonames_id}, format="json"
    )
    assert (added.json()["name_native"], added.json()["name_ru"]) == ("Алмати", "Алматы")

"""Cities and airports come into Evac from the offline places data, one click each, by the
coordinators (and headquarters) of the operation they are added from; adding twice adds
nothing."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from evac.core.actor import EVAC
from evac.operations.models import Headquarters
from evac.operations.places import airport_add, city_add
from evac.places.models import Airport, City
from evac.places.selectors import place_candidates

pytestmark = pytest.mark.django_db

SHYMKENT = 1518980
ASTANA = 1526273
ALMATY = 1526384


def test_a_coordinator_adds_a_city_with_where_it_is_and_how_many_live_there(operation, alice):
    city, created = city_add(
        operation=operation, geonames_id=SHYMKENT, name_native="Шимкент", by=alice
    )

    assert created
    city.refresh_from_db()
    assert (city.name, city.country.code, str(city.time_zone)) == ("Shymkent", "KZ", "Asia/Almaty")
    assert (round(city.latitude, 1), round(city.longitude, 1)) == (42.3, 69.6)
    assert city.population > 1_000_000
    # The name staff gave, and the data's Russian one where staff gave none.
    assert (city.name_native, city.name_ru) == ("Шимкент", "Шымкент")


def test_a_city_and_an_airports_city_carry_the_datas_ukrainian_and_russian_names(operation, alice):
    almaty, _ = city_add(operation=operation, geonames_id=ALMATY, by=alice)
    airport, _ = airport_add(operation=operation, iata_code="KGF", by=alice)

    assert (almaty.name_native, almaty.name_ru) == ("Алмати", "Алматы")
    # GeoNames has no Ukrainian name for Karagandy: left empty, not guessed.
    assert (airport.city.name_native, airport.city.name_ru) == ("", "Караганда")
    with translation.override("uk"):
        assert (str(almaty), str(airport.city)) == ("Алмати", "Karagandy")
    with translation.override("ru"):
        assert (str(almaty), str(airport.city)) == ("Алматы", "Караганда")


def test_adding_a_city_twice_does_not_duplicate_it(operation, alice):
    first, _ = city_add(operation=operation, geonames_id=SHYMKENT, by=alice)
    again, created = city_add(operation=operation, geonames_id=SHYMKENT, by=alice)

    assert (again, created) == (first, False)
    assert City.objects.filter(name="Shymkent").count() == 1


def test_a_city_held_by_another_of_its_names_is_already_there(operation, nur_sultan, alice):
    city, created = city_add(operation=operation, geonames_id=ASTANA, by=alice)

    assert (city, created) == (nur_sultan, False)
    assert not City.objects.filter(name="Astana").exists()
    nur_sultan.refresh_from_db()
    assert nur_sultan.population > 1_000_000  # what it lacked is filled in


def test_a_coordinator_adds_an_airport_with_the_city_it_serves(operation, alice):
    airport, created = airport_add(operation=operation, iata_code="kgf", by=alice)

    assert created
    airport.refresh_from_db()
    assert (airport.iata_code, airport.name) == ("KGF", "Sary-Arka International Airport")
    assert airport.is_open
    assert str(airport.time_zone) == "Asia/Almaty"
    assert round(airport.latitude, 1) == 49.7
    assert (airport.city.name, airport.city.country.code) == ("Karagandy", "KZ")
    assert airport.history.first().history_user == alice


def test_adding_an_airport_twice_does_not_duplicate_it_nor_its_city(operation, alice):
    airport_add(operation=operation, iata_code="CIT", by=alice)
    city_add(operation=operation, geonames_id=SHYMKENT, by=alice)
    _airport, created = airport_add(operation=operation, iata_code="CIT", by=alice)

    assert not created
    assert Airport.objects.filter(iata_code="CIT").count() == 1
    assert City.objects.filter(name="Shymkent").count() == 1


def test_an_airport_already_held_keeps_its_status_and_gains_its_coordinates(operation, ala, alice):
    airport, created = airport_add(operation=operation, iata_code="ALA", by=alice)

    assert not created
    airport.refresh_from_db()
    assert airport.status == Airport.Status.SUSPENDED
    assert round(airport.longitude, 1) == 77.0


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_officers_viewers_and_other_operations_coordinators_add_nothing(operation, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        city_add(operation=operation, geonames_id=SHYMKENT, by=user)
    with pytest.raises(PermissionDenied):
        airport_add(operation=operation, iata_code="CIT", by=user)
    with pytest.raises(PermissionDenied):
        airport_add(operation=operation, iata_code="CIT", by=None)
    assert not City.objects.exists()
    assert not Airport.objects.exists()


def test_headquarters_add_places_from_any_operation(operation):
    chief = User.objects.create_user("chief")
    Headquarters.objects.create(user=chief)
    assert airport_add(operation=operation, iata_code="CIT", by=chief)[1]
    assert city_add(operation=operation, geonames_id=ASTANA, by=EVAC)[1]


def test_a_closed_operation_adds_nothing(operation, alice):
    operation.status = operation.Status.CLOSED
    operation.save()
    with pytest.raises(PermissionDenied):
        city_add(operation=operation, geonames_id=SHYMKENT, by=alice)


def test_what_the_data_lacks_is_a_field_error(operation, alice):
    with pytest.raises(ValidationError) as error:
        airport_add(operation=operation, iata_code="QQQ", by=alice)
    assert "iata_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        city_add(operation=operation, geonames_id=1, by=alice)
    assert "geonames_id" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        city_add(operation=operation, geonames_id=SHYMKENT, name_ru="Ш" * 121, by=alice)
    assert "name_ru" in error.value.message_dict
    assert not City.objects.exists()


def test_the_candidates_say_which_places_are_held(operation, nur_sultan, nqz, alice):
    airport_add(operation=operation, iata_code="CIT", by=alice)
    airports, cities = place_candidates("KZ")

    held = {row.entry.iata_code: row.airport for row in airports}
    assert held["NQZ"] == nqz
    assert held["CIT"].iata_code == "CIT"
    assert held["KGF"] is None
    by_name = {row.entry.name: row.city for row in cities}
    assert by_name["Astana"] == nur_sultan
    assert by_name["Shymkent"].name == "Shymkent"
    assert by_name["Taraz"] is None

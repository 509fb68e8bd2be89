"""Who may change the shared places (attack review): a coordinator names only a city no
other operation uses, and adds only their own country's places; headquarters do both."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from evac.operations.models import Headquarters
from evac.operations.places import airport_add, city_add
from evac.places.models import Airport, City
from tests.factories import make_city, make_operation

pytestmark = pytest.mark.django_db

SHYMKENT = 1518980
LVIV = 702550


@pytest.fixture
def shymkent() -> City:
    # Held without names, as a city typed by hand before the data knew it.
    return make_city("Shymkent", "KZ", "Asia/Almaty")


@pytest.fixture
def chief() -> User:
    user = User.objects.create_user("chief")
    Headquarters.objects.create(user=user)
    return user


def test_a_coordinator_can_not_name_a_city_another_operation_uses(operation, shymkent, alice):
    make_operation("Kazakhstan, relief", country="KZ")

    with pytest.raises(ValidationError) as refused:
        city_add(operation=operation, geonames_id=SHYMKENT, name_native="Хакнуто", by=alice)

    assert "name_native" in refused.value.message_dict
    shymkent.refresh_from_db()
    assert shymkent.name_native != "Хакнуто"


def test_a_coordinator_names_a_held_city_only_their_operation_uses(operation, shymkent, alice):
    city, created = city_add(
        operation=operation, geonames_id=SHYMKENT, name_native="Шимкент", by=alice
    )
    assert (city, created) == (shymkent, False)
    shymkent.refresh_from_db()
    assert shymkent.name_native == "Шимкент"


def test_headquarters_name_a_shared_city(operation, shymkent, chief):
    make_operation("Kazakhstan, relief", country="KZ")
    city_add(operation=operation, geonames_id=SHYMKENT, name_ru="Шымкент", by=chief)
    shymkent.refresh_from_db()
    assert shymkent.name_ru == "Шымкент"


def test_a_coordinator_adds_no_airport_nor_city_of_another_country(operation, alice):
    with pytest.raises(ValidationError) as refused:
        airport_add(operation=operation, iata_code="LWO", by=alice)
    assert "iata_code" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        city_add(operation=operation, geonames_id=LVIV, by=alice)
    assert "geonames_id" in refused.value.message_dict
    assert not Airport.objects.exists()
    assert not City.objects.exists()


def test_headquarters_add_another_countrys_airport_for_the_flights_home(operation, chief):
    airport, created = airport_add(operation=operation, iata_code="LWO", by=chief)
    assert created
    assert airport.city.country.code == "UA"


def test_the_datas_own_names_fill_a_shared_citys_blanks_for_a_coordinator(
    operation, shymkent, alice
):
    # Not the coordinator's words: GeoNames' names, as its coordinates are filled in.
    make_operation("Kazakhstan, relief", country="KZ")
    city_add(operation=operation, geonames_id=SHYMKENT, name_ru="Шымкент", by=alice)
    shymkent.refresh_from_db()
    assert (shymkent.name_native, shymkent.name_ru) == ("Шимкент", "Шымкент")

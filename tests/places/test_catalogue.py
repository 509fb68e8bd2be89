"""The places Evac offers staff come from data shipped with its packages, with no network."""

import socket

import pytest

from evac.places import catalogue


@pytest.fixture
def offline(monkeypatch):
    """No connection can be opened, and the data is read anew."""

    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    catalogue._airports.cache_clear()
    catalogue._cities.cache_clear()
    yield
    catalogue._airports.cache_clear()
    catalogue._cities.cache_clear()


def test_kazakhstans_airports_load_with_the_network_cut(offline):
    airports = {entry.iata_code: entry for entry in catalogue.country_airports("KZ")}
    assert {"ALA", "NQZ", "CIT", "KGF"} <= set(airports)
    shymkent = airports["CIT"]
    assert shymkent.name == "Shymkent Airport"
    assert (round(shymkent.latitude), round(shymkent.longitude)) == (42, 69)
    assert shymkent.time_zone == "Asia/Almaty"
    assert all(entry.country == "KZ" for entry in airports.values())


def test_the_main_cities_come_largest_first_with_the_network_cut(offline):
    cities = catalogue.country_cities("kz", limit=5)
    assert [entry.name for entry in cities[:3]] == ["Almaty", "Astana", "Shymkent"]
    assert cities[0].population > 1_000_000
    assert cities[0].population >= cities[1].population >= cities[4].population
    assert (round(cities[0].latitude), round(cities[0].longitude)) == (43, 77)


def test_a_citys_cyrillic_names_are_offered_untold_which_language():
    almaty = catalogue.city_entry(1526384)
    assert almaty.name == "Almaty"
    assert {"Алмати", "Алматы"} <= set(almaty.cyrillic_names)
    assert "Almaty" not in almaty.cyrillic_names


def test_an_airport_serves_the_city_its_data_names():
    assert catalogue.city_of_airport(catalogue.airport_entry("KBP")).name == "Kyiv"
    assert catalogue.city_of_airport(catalogue.airport_entry("nqz")).name == "Astana"
    assert catalogue.city_of_airport(catalogue.airport_entry("KGF")).name == "Karagandy"


def test_an_airport_is_not_given_a_namesake_city_far_away():
    # AEX is Alexandria, Louisiana; the largest US Alexandria is Virginia's, 1,600 km east.
    airport = catalogue.airport_entry("AEX")
    city = catalogue.city_of_airport(airport)
    assert city is not None
    km = catalogue.distance_km(airport.latitude, airport.longitude, city.latitude, city.longitude)
    assert km <= catalogue.NEAR_KM
    assert city.time_zone == "America/Chicago"


def test_an_unknown_code_or_city_is_none():
    assert catalogue.airport_entry("QQQ") is None
    assert catalogue.city_entry(0) is None


def test_distances_are_great_circle():
    # Almaty to Astana is about 970 km as the crow flies.
    assert 950 < catalogue.distance_km(43.25, 76.91, 51.18, 71.45) < 990


def test_cities_carry_their_ukrainian_and_russian_names_with_the_network_cut(offline):
    by_name = {entry.name: entry for entry in catalogue.country_cities("KZ")}
    assert (by_name["Almaty"].name_uk, by_name["Almaty"].name_ru) == ("Алмати", "Алматы")
    assert (by_name["Oral"].name_uk, by_name["Oral"].name_ru) == ("Уральськ", "Уральск")
    # Where GeoNames tags no Ukrainian name, none is guessed.
    assert (by_name["Karagandy"].name_uk, by_name["Karagandy"].name_ru) == ("", "Караганда")
    kyiv = catalogue.city_entry(703448)
    assert (kyiv.name_uk, kyiv.name_ru) == ("Київ", "Киев")

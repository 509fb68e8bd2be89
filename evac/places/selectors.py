"""Reads about places that the dashboard, the waiting list and the portal share."""

from dataclasses import dataclass

from django.db.models import QuerySet

from evac.places.catalogue import AirportEntry, CityEntry, country_airports, country_cities
from evac.places.models import Airport, City


def cities_needing_transfer() -> QuerySet[City]:
    """Cities with an airport, all of them suspended: people there must travel to another
    city's airport (Almaty in January 2022). A city with no airport at all is not counted:
    Evac does not know how people there travel."""
    return City.objects.filter(airports__status=Airport.Status.SUSPENDED).exclude(
        airports__status=Airport.Status.OPEN
    )


# What of the offline data (places.catalogue) Evac already holds.


@dataclass(frozen=True)
class CityCandidate:
    entry: CityEntry
    city: City | None  # the city Evac holds by this name, if any


@dataclass(frozen=True)
class AirportCandidate:
    entry: AirportEntry
    airport: Airport | None


def city_known_as(entry: CityEntry, cities: list[City] | None = None) -> City | None:
    """The city Evac holds by any name the data knows `entry` by (Nur-Sultan is Astana), in
    any of its spellings; its own name first."""
    if cities is None:
        cities = list(City.objects.filter(country=entry.country))
    same = [city for city in cities if city.country == entry.country]
    for city in same:
        if city.name.casefold() == entry.name.casefold():
            return city
    for city in same:
        if any(
            entry.is_called(name) for name in (city.name, city.name_native, city.name_ru) if name
        ):
            return city
    return None


def place_candidates(country: str) -> tuple[list[AirportCandidate], list[CityCandidate]]:
    """A country's airports and main cities in the data, each with the one Evac already
    holds, if any."""
    airport_entries = country_airports(country)
    held = Airport.objects.filter(iata_code__in=[e.iata_code for e in airport_entries])
    by_code = {airport.iata_code: airport for airport in held.select_related("city")}
    cities = list(City.objects.filter(country=country.upper()))
    return (
        [AirportCandidate(e, by_code.get(e.iata_code)) for e in airport_entries],
        [CityCandidate(e, city_known_as(e, cities)) for e in country_cities(country)],
    )

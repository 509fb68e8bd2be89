"""What the dashboard's map shows, read in a fixed number of queries whatever the number of
people: the cities where people wait (from the dashboard's own counts), the operation's
airports, the transfers ahead and the flights ahead (the dashboard's own list).

A place without coordinates is kept in the lists, so the table under the map names it,
but it is not drawn (map_svg). Coordinates are WGS 84 degrees from City and Airport.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from evac.cockpit.dashboard import FlightAhead
from evac.cockpit.outlines import Ring, country_outline
from evac.flights.transfer_models import TRANSFERS_AHEAD_STATUSES
from evac.operations.models import Operation
from evac.operations.services import operation_airports
from evac.people.selectors import PeopleCounts
from evac.places.models import City

Point = tuple[float, float]  # (latitude, longitude)

# How many transfers ahead the map draws, as flights_ahead's limit for flights.
TRANSFERS_LIMIT = 10


def _point(place) -> Point | None:
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return (place.latitude, place.longitude)


@dataclass(frozen=True)
class MapCity:
    city_id: int | None
    name: str
    waiting: int
    needs_transfer: bool
    point: Point | None


@dataclass(frozen=True)
class MapAirport:
    iata_code: str
    city_name: str
    is_open: bool
    status_label: str
    point: Point | None


@dataclass(frozen=True)
class MapRoute:
    """A transfer or a flight ahead, from one place to another."""

    label: str  # "Rail 12", "PS 9004"
    origin: str
    destination: str
    departs_local: datetime
    seats_left: int
    start: Point | None
    end: Point | None
    end_code: str = ""  # the arrival airport's code, for a flight's line

    @property
    def drawn(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass(frozen=True)
class OperationMap:
    country: str
    outline: list[Ring]
    cities: list[MapCity]
    airports: list[MapAirport]
    transfers: list[MapRoute]
    flights: list[MapRoute]

    @property
    def unplaced_cities(self) -> list[MapCity]:
        return [city for city in self.cities if city.point is None]


def operation_map(
    operation: Operation,
    *,
    people: PeopleCounts,
    flights_ahead: Sequence[FlightAhead],
    transfer_city_ids: frozenset[int],
) -> OperationMap:
    """The map's numbers: three queries, for the cities' and airports' coordinates and for
    the transfers ahead; the people and flights come from the dashboard's own reads."""
    rows = people.waiting_by_city
    where = {
        pk: (lat, lon)
        for pk, lat, lon in City.objects.filter(
            pk__in=[row.city_id for row in rows if row.city_id is not None],
            latitude__isnull=False,
            longitude__isnull=False,
        ).values_list("pk", "latitude", "longitude")
    }
    cities = [
        MapCity(
            row.city_id,
            row.local_name,
            row.waiting,
            row.city_id in transfer_city_ids,
            where.get(row.city_id),
        )
        for row in rows
    ]
    airports = [
        MapAirport(
            airport.iata_code,
            airport.city.local_name,
            airport.is_open,
            airport.get_status_display(),
            _point(airport) or _point(airport.city),
        )
        for airport in operation_airports(operation).order_by("iata_code")
    ]
    return OperationMap(
        country=str(operation.country),
        outline=country_outline(operation.country),
        cities=cities,
        airports=airports,
        transfers=_transfers_ahead(operation),
        flights=[_flight_route(ahead) for ahead in flights_ahead],
    )


def _transfers_ahead(operation: Operation) -> list[MapRoute]:
    transfers = (
        operation.transfers.filter(status__in=TRANSFERS_AHEAD_STATUSES)
        .select_related("from_city", "to_city")
        .order_by("departs_at", "pk")[:TRANSFERS_LIMIT]
    )
    return [
        MapRoute(
            f"{transfer.get_mode_display()} {transfer.number}".strip(),
            transfer.from_city.local_name,
            transfer.to_city.local_name,
            transfer.departs_local,
            transfer.seats_left,
            _point(transfer.from_city),
            _point(transfer.to_city),
        )
        for transfer in transfers
    ]


def _flight_route(ahead: FlightAhead) -> MapRoute:
    flight = ahead.flight
    departure, arrival = flight.departure_airport, flight.arrival_airport
    return MapRoute(
        flight.number,
        f"{departure.iata_code} {departure.city.local_name}",
        f"{arrival.iata_code} {arrival.city.local_name}",
        ahead.departs_local,
        flight.seats_left,
        _point(departure) or _point(departure.city),
        _point(arrival) or _point(arrival.city),
        end_code=arrival.iata_code,
    )

"""Small builders for test data. They go through the services where a service exists."""

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from evac.core import clock
from evac.core.actor import EVAC
from evac.flights.models import Flight
from evac.flights.services import flight_create, flight_set_status
from evac.operations.models import Membership, Operation, Role
from evac.people.models import Citizen
from evac.people.queue import rebuild
from evac.people.services import citizen_register
from evac.places.models import Airport, City

_numbers = itertools.count(1)


def make_operation(name: str = "Kazakhstan, January 2022", **fields) -> Operation:
    slug = fields.pop("slug", f"op-{next(_numbers)}")
    fields.setdefault("country", "KZ")
    fields.setdefault("starts_on", date(2022, 1, 5))
    return Operation.objects.create(name=name, slug=slug, **fields)


def make_member(username: str, operation: Operation, role: str = Role.COORDINATOR) -> User:
    user, _ = User.objects.get_or_create(username=username)
    Membership.objects.create(user=user, operation=operation, role=role)
    return user


def make_city(name: str, country: str, tz: str) -> City:
    city, _ = City.objects.get_or_create(
        name=name, country=country, defaults={"time_zone": ZoneInfo(tz)}
    )
    return city


def make_airport(code: str, city: City, status: str = Airport.Status.OPEN) -> Airport:
    airport, _ = Airport.objects.get_or_create(
        iata_code=code, defaults={"name": f"{city.name} airport", "city": city, "status": status}
    )
    return airport


def _letters(n: int) -> str:
    """1 → "b", 27 → "bb": a number spelt in letters, for names a passport could hold."""
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[digit] + word
        if n == 0:
            return word.capitalize()


def make_citizen(operation: Operation, city: City, **fields) -> Citizen:
    n = next(_numbers)
    fields.setdefault("surname", f"Koval-{_letters(n)}")  # passport Latin: letters only
    fields.setdefault("given_names", "Olena")
    fields.setdefault("date_of_birth", date(1985, 3, 14))
    fields.setdefault("sex", Citizen.Sex.FEMALE)
    fields.setdefault("nationality", "UA")
    fields.setdefault("document_type", Citizen.DocumentType.PASSPORT)
    fields.setdefault("document_number", f"FA{n:06d}")
    fields.setdefault("current_city", city)
    source = fields.pop("source", Citizen.Source.STAFF_INTAKE)
    return citizen_register(operation=operation, source=source, by=EVAC, **fields)


def make_flight(
    operation: Operation,
    departure: Airport,
    arrival: Airport,
    *,
    seats: int = 10,
    status: str = Flight.Status.OPEN,
    departs_at: datetime | None = None,
    number: str | None = None,
) -> Flight:
    """A flight planned (and opened…) two days before it leaves, whenever that is.

    The services refuse to plan a flight in the past or years ahead, so the flight is made
    with the clock pinned to two days before its departure; the test then runs at today's.
    """
    departs_at = departs_at or datetime(2030, 1, 13, 8, 20, tzinfo=ZoneInfo("UTC"))
    with clock.pinned(departs_at - PLANNED_BEFORE):
        flight = flight_create(
            operation=operation,
            by=EVAC,
            number=number or f"PS{next(_numbers):04d}",
            carrier="Ukraine International Airlines",
            departure_airport=departure,
            arrival_airport=arrival,
            departs_at=departs_at,
            arrives_at=departs_at + timedelta(hours=5, minutes=30),
            seats_total=seats,
        )
        path = {
            Flight.Status.PLANNED: [],
            Flight.Status.OPEN: [Flight.Status.OPEN],
            Flight.Status.BOARDING: [Flight.Status.OPEN, Flight.Status.BOARDING],
        }[status]
        for step in path:
            flight = flight_set_status(flight=flight, status=step, by=EVAC)
    return flight


PLANNED_BEFORE = timedelta(days=2)


def make_departed_flight(
    operation: Operation,
    departure: Airport,
    arrival: Airport,
    *,
    boarded: list[Citizen],
    no_shows: list[Citizen] | None = None,
    departs_at: datetime | None = None,
) -> Flight:
    """A flight that has left: `boarded` are evacuated, `no_shows` are waiting again."""
    from evac.flights.models import Booking
    from evac.flights.services import booking_create, booking_set_status

    no_shows = no_shows or []
    flight = make_flight(
        operation, departure, arrival, seats=len(boarded) + len(no_shows) + 1, departs_at=departs_at
    )
    # Booked the day before, boarded and departed on time, whenever that was.
    with clock.pinned(flight.departs_at - timedelta(days=1)):
        seats = {
            c.pk: booking_create(flight=flight, citizen=c, by=EVAC) for c in [*boarded, *no_shows]
        }
    with clock.pinned(flight.departs_at):
        flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=EVAC)
        for citizen in boarded:
            booking_set_status(booking=seats[citizen.pk], status=Booking.Status.BOARDED, by=EVAC)
        for citizen in no_shows:
            booking_set_status(booking=seats[citizen.pk], status=Booking.Status.NO_SHOW, by=EVAC)
        return flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=EVAC)


def make_citizens_in_bulk(operation: Operation, city: City, count: int, **fields) -> list[Citizen]:
    """Many people at once, straight into the table: for lists and query counts, not rules.

    Skips the services (and their history rows) for speed, so use make_citizen wherever a
    test is about registering.
    """
    people = []
    for i in [next(_numbers) for _ in range(count)]:
        person = {
            "surname": f"Bulk{i:06d}",
            "given_names": "Ivan",
            "date_of_birth": date(1980, 1, 1) + timedelta(days=i % 9000),
            "sex": Citizen.Sex.MALE,
            "nationality": "UA",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"BK{i:07d}",
            "current_city": city,
            "source": Citizen.Source.IMPORT,
        }
        person.update(fields)
        people.append(Citizen(operation=operation, **person))
    created = Citizen.objects.bulk_create(people)
    rebuild(operation.pk)  # a bulk load saves nobody: their waiting-list standing after it
    return created

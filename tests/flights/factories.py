"""Test data in bulk for the flight pages."""

from datetime import UTC, date, datetime, timedelta

from django.db.models import F

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Booking, Flight
from evac.operations.models import Operation
from evac.people.models import Citizen, Household
from evac.people.queue import rebuild
from evac.places.models import Airport, City


def bulk_passengers(
    flight: Flight,
    city: City,
    n: int,
    *,
    status: str = Booking.Status.BOOKED,
    prefix: str = "Bulk",
) -> list[Booking]:
    """`n` people holding seats on `flight`, written in three statements.

    Bypasses the booking services on purpose (1,000 bookings one by one would take
    minutes); the seat counter is moved the same way the services move it.
    """
    citizens = Citizen.objects.bulk_create(
        Citizen(
            operation=flight.operation,
            surname=f"{prefix}{i:04d}",
            given_names="Petro",
            date_of_birth=date(1980, 1, 1) + timedelta(days=i),
            sex=Citizen.Sex.MALE,
            nationality="UA",
            document_type=Citizen.DocumentType.PASSPORT,
            document_number=f"{prefix[:2].upper()}{i:06d}",
            document_issuing_country="UA",
            current_city=city,
            status=Citizen.Status.BOOKED,
            source=Citizen.Source.IMPORT,
        )
        for i in range(n)
    )
    bookings = Booking.objects.bulk_create(
        Booking(flight=flight, citizen=citizen, status=status) for citizen in citizens
    )
    Flight.objects.filter(pk=flight.pk).update(
        seats_total=F("seats_total") + n, seats_booked=F("seats_booked") + n
    )
    flight.refresh_from_db()
    return bookings


def bulk_flights(
    operation: Operation, departure: Airport, arrival: Airport, n: int, *, past: bool = False
) -> list[Flight]:
    start = now() + (timedelta(days=-400) if past else timedelta(days=1))
    status = Flight.Status.LANDED if past else Flight.Status.OPEN
    return Flight.objects.bulk_create(
        Flight(
            operation=operation,
            number=f"BK{i:04d}",
            carrier="Bulk Air",
            departure_airport=departure,
            arrival_airport=arrival,
            departs_at=start + timedelta(hours=i),
            arrives_at=start + timedelta(hours=i + 5),
            seats_total=100,
            seats_booked=i % 100,
            status=status,
        )
        for i in range(n)
    )


def bulk_waiting(operation: Operation, city: City, n: int) -> list[Citizen]:
    created = Citizen.objects.bulk_create(
        Citizen(
            operation=operation,
            surname=f"Waiting{i:04d}",
            given_names="Mariia",
            date_of_birth=date(1990, 1, 1),
            sex=Citizen.Sex.FEMALE,
            nationality="UA",
            document_type=Citizen.DocumentType.PASSPORT,
            document_number=f"WT{i:06d}",
            current_city=city,
            source=Citizen.Source.IMPORT,
            registered_at=now() - timedelta(minutes=i),
        )
        for i in range(n)
    )
    rebuild(operation.pk)  # a bulk load saves nobody: their waiting-list standing after it
    return created


def bulk_households(
    operation: Operation, cities: list[City], n: int, *, size: int, first: int = 0, **fields
) -> list[Household]:
    """`n` households of `size` waiting people, the i-th member in the i-th city (cycling).

    Numbered from `first`, so that a second batch gets names and documents of its own;
    `fields` go to every member (medical_need=True, say).
    """
    households = Household.objects.bulk_create(Household(operation=operation) for _ in range(n))
    Citizen.objects.bulk_create(
        Citizen(
            operation=operation,
            household=household,
            surname=f"Family{first + h:04d}",
            given_names=f"Member{i}",
            sex=Citizen.Sex.FEMALE,
            nationality="UA",
            document_type=Citizen.DocumentType.PASSPORT,
            document_number=f"HH{first + h:05d}{i:02d}",
            current_city=cities[i % len(cities)],
            source=Citizen.Source.IMPORT,
            registered_at=now() - timedelta(minutes=first + h),
            **{"date_of_birth": date(1985, 1, 1), **fields},
        )
        for h, household in enumerate(households)
        for i in range(size)
    )
    rebuild(operation.pk)  # a bulk load saves nobody: their waiting-list standing after it
    return households


def make_transfer(
    operation: Operation,
    from_city: City,
    to_city: City,
    *,
    seats: int = 10,
    departs_at: datetime | None = None,
    hours: int = 11,
    **fields,
):
    """A train the day before the factories' flight (13 Jan 2030 08:20 UTC), arriving in
    good time for its report time (05:20 UTC)."""
    from evac.flights.transfers import transfer_create

    departs_at = departs_at or datetime(2030, 1, 12, 15, 40, tzinfo=UTC)
    fields.setdefault("mode", "rail")
    fields.setdefault("number", "12")
    fields.setdefault("meeting_point", "Almaty-2 station, main hall")
    return transfer_create(
        operation=operation,
        by=EVAC,
        from_city=from_city,
        to_city=to_city,
        departs_at=departs_at,
        arrives_at=departs_at + timedelta(hours=hours),
        seats_total=seats,
        **fields,
    )

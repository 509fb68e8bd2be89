"""Many coordinators booking the last seats at the same moment never overbook a flight.

Each thread has its own database connection, as separate web requests do. A barrier lets
them all go at once; nothing waits on a clock.
"""

from collections import Counter

import pytest
from django.db import connection

from evac.core.actor import EVAC
from evac.flights.models import Booking, Flight
from evac.flights.services import booking_create, household_book
from evac.people.models import Citizen
from evac.people.services import household_register
from tests.factories import make_citizen, make_flight
from tests.flights.races import race

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 24


def _assert_never_overbooked(flight: Flight) -> None:
    flight.refresh_from_db()
    active = Booking.objects.filter(flight=flight, is_active=True).count()
    assert active == flight.seats_booked <= flight.seats_total
    assert Citizen.objects.filter(status=Citizen.Status.BOOKED).count() == active


def _last_seats_race(operation, city, nqz, kbp, alice) -> None:
    flight = make_flight(operation, nqz, kbp, seats=5)
    people = [make_citizen(operation, city) for _ in range(RACERS)]

    outcome = race(
        [lambda p=p: booking_create(flight=flight, citizen=p, by=alice) for p in people],
        done="booked",
    )

    assert outcome == Counter({"booked": 5, "FlightFull": RACERS - 5})
    _assert_never_overbooked(flight)


def _households_race(operation, city, nqz, kbp, alice) -> None:
    flight = make_flight(operation, nqz, kbp, seats=5)
    families = [
        household_register(
            operation=operation,
            source=Citizen.Source.STAFF_INTAKE,
            by=EVAC,
            members=[
                _member(city, f"Family{i}", "Petro", f"FP{i:04d}1"),
                _member(city, f"Family{i}", "Hanna", f"FP{i:04d}2"),
            ],
        )
        for i in range(RACERS // 2)
    ]

    outcome = race(
        [lambda h=h: household_book(flight=flight, household=h, by=alice) for h in families],
        done="booked",
    )

    assert outcome["booked"] == 2  # two families of two fit in five seats; a third doesn't
    _assert_never_overbooked(flight)
    for family in families:
        statuses = set(family.members.values_list("status", flat=True))
        assert len(statuses) == 1, "a household was split"


def _same_person_race(operation, city, nqz, kbp, alice) -> None:
    olena = make_citizen(operation, city)
    flights = [make_flight(operation, nqz, kbp, seats=5) for _ in range(6)]

    outcome = race(
        [lambda f=f: booking_create(flight=f, citizen=olena, by=alice) for f in flights],
        done="booked",
    )

    assert outcome["booked"] == 1
    assert Booking.objects.filter(citizen=olena, is_active=True).count() == 1
    assert (
        sum(
            Flight.objects.filter(pk__in=[f.pk for f in flights]).values_list(
                "seats_booked", flat=True
            )
        )
        == 1
    )


def _member(city, surname: str, given: str, document: str) -> dict:
    return {
        "surname": surname,
        "given_names": given,
        "date_of_birth": "1979-11-02",
        "sex": "F",
        "nationality": "UA",
        "document_type": "passport",
        "document_number": document,
        "current_city": city,
    }


SCENARIOS = [_last_seats_race, _households_race, _same_person_race]


@pytest.mark.postgres
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__.strip("_"))
def test_racing_bookings_never_overbook_on_postgresql(scenario, operation, almaty, nqz, kbp, alice):
    assert connection.vendor == "postgresql"
    scenario(operation, almaty, nqz, kbp, alice)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__.strip("_"))
def test_racing_bookings_never_overbook_on_sqlite(scenario, operation, almaty, nqz, kbp, alice):
    if connection.vendor != "sqlite":
        pytest.skip("this run is on PostgreSQL; the SQLite run covers SQLite")
    scenario(operation, almaty, nqz, kbp, alice)

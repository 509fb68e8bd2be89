"""Many coordinators booking journeys at the same moment never oversell a leg, and a
household is whole on every leg or on none. Threads with their own connections, as web
requests; a barrier lets them go at once."""

from collections import Counter

import pytest
from django.db import connection

from evac.core.actor import EVAC
from evac.flights.journeys import journey_book
from evac.flights.models import Booking, Flight, GroundTransfer, TransferSeat
from evac.people.models import Citizen
from evac.people.services import household_register
from tests.factories import make_citizen, make_flight
from tests.flights.factories import make_transfer
from tests.flights.races import race
from tests.flights.test_concurrency import RACERS, _member

pytestmark = pytest.mark.django_db(transaction=True)


def _assert_no_leg_oversold(flight: Flight, train: GroundTransfer) -> None:
    flight.refresh_from_db()
    train.refresh_from_db()
    on_flight = Booking.objects.filter(flight=flight, is_active=True).count()
    on_train = TransferSeat.objects.filter(transfer=train, is_active=True).count()
    assert on_flight == flight.seats_booked <= flight.seats_total
    assert on_train == train.seats_booked <= train.seats_total
    # Nobody holds a flight seat without the train to it, nor the reverse.
    assert set(
        TransferSeat.objects.filter(transfer=train, is_active=True).values_list(
            "connects_to__citizen_id", flat=True
        )
    ) == set(
        Booking.objects.filter(flight=flight, is_active=True).values_list("citizen_id", flat=True)
    )


def _people_race(operation, almaty, nur_sultan, nqz, kbp, alice) -> None:
    train = make_transfer(operation, almaty, nur_sultan, seats=5)
    flight = make_flight(operation, nqz, kbp, seats=7)
    people = [make_citizen(operation, almaty) for _ in range(RACERS)]

    outcome = race(
        [
            lambda p=p: journey_book(flight=flight, transfers=[train], citizen=p, by=alice)
            for p in people
        ],
        done="booked",
    )

    assert outcome == Counter({"booked": 5, "TransferFull": RACERS - 5})
    _assert_no_leg_oversold(flight, train)


def _households_race(operation, almaty, nur_sultan, nqz, kbp, alice) -> None:
    train = make_transfer(operation, almaty, nur_sultan, seats=7)
    flight = make_flight(operation, nqz, kbp, seats=5)
    families = [
        household_register(
            operation=operation,
            source=Citizen.Source.STAFF_INTAKE,
            by=EVAC,
            members=[
                _member(almaty, f"Family{i}", "Petro", f"FJ{i:04d}1"),
                _member(almaty, f"Family{i}", "Hanna", f"FJ{i:04d}2"),
            ],
        )
        for i in range(RACERS // 2)
    ]

    outcome = race(
        [
            lambda h=h: journey_book(flight=flight, transfers=[train], household=h, by=alice)
            for h in families
        ],
        done="booked",
    )

    assert outcome["booked"] == 2  # the flight's five seats hold two families of two
    _assert_no_leg_oversold(flight, train)
    for family in families:
        members = set(family.members.values_list("pk", flat=True))
        on_train = set(
            TransferSeat.objects.filter(citizen__in=members, is_active=True).values_list(
                "citizen_id", flat=True
            )
        )
        assert on_train in (set(), members), "a household was split on the train"


SCENARIOS = [_people_race, _households_race]


@pytest.mark.postgres
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__.strip("_"))
def test_racing_journeys_never_oversell_a_leg_on_postgresql(
    scenario, operation, almaty, nur_sultan, nqz, kbp, alice
):
    assert connection.vendor == "postgresql"
    scenario(operation, almaty, nur_sultan, nqz, kbp, alice)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__.strip("_"))
def test_racing_journeys_never_oversell_a_leg_on_sqlite(
    scenario, operation, almaty, nur_sultan, nqz, kbp, alice
):
    if connection.vendor != "sqlite":
        pytest.skip("this run is on PostgreSQL; the SQLite run covers SQLite")
    scenario(operation, almaty, nur_sultan, nqz, kbp, alice)

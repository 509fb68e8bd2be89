from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evac.core.errors import Conflict, InvalidTransition
from evac.flights.models import Booking, Flight
from evac.flights.services import (
    booking_create,
    booking_set_status,
    flight_set_status,
    flight_update,
)
from evac.people.models import Citizen
from evac.places.models import Airport
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


def _book(flight, operation, city, by, n):
    return [
        booking_create(flight=flight, citizen=make_citizen(operation, city), by=by)
        for _ in range(n)
    ]


def test_cancelling_a_flight_returns_its_passengers_to_waiting(operation, almaty, flight, alice):
    bookings = _book(flight, operation, almaty, alice, 3)

    flight = flight_set_status(flight=flight, status=Flight.Status.CANCELLED, by=alice)

    assert flight.status == Flight.Status.CANCELLED
    assert flight.seats_booked == 0
    for booking in bookings:
        booking.refresh_from_db()
        booking.citizen.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED and not booking.is_active
        assert booking.citizen.status == Citizen.Status.WAITING


def test_departure_evacuates_the_boarded_and_returns_no_shows_to_waiting(
    operation, almaty, flight, alice, bob, pin_clock
):
    boarded, no_show, never_marked = _book(flight, operation, almaty, alice, 3)
    pin_clock(flight.departs_at)
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    booking_set_status(booking=boarded, status=Booking.Status.BOARDED, by=bob)
    booking_set_status(booking=no_show, status=Booking.Status.NO_SHOW, by=bob)

    flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=alice)

    for booking in (boarded, no_show, never_marked):
        booking.refresh_from_db()
        booking.citizen.refresh_from_db()
        assert not booking.is_active
    assert boarded.status == Booking.Status.BOARDED
    assert boarded.citizen.status == Citizen.Status.EVACUATED
    assert no_show.status == never_marked.status == Booking.Status.NO_SHOW
    assert no_show.citizen.status == never_marked.citizen.status == Citizen.Status.WAITING


def test_a_no_show_can_be_booked_on_the_next_flight(
    operation, almaty, nqz, kbp, flight, alice, pin_clock
):
    (booking,) = _book(flight, operation, almaty, alice, 1)
    pin_clock(flight.departs_at)
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=alice)

    rebooked = booking_create(
        flight=make_flight(operation, nqz, kbp, departs_at=flight.departs_at + timedelta(days=1)),
        citizen=booking.citizen,
        by=alice,
    )

    assert rebooked.is_active


def test_a_late_passenger_marked_no_show_can_still_board(operation, almaty, flight, alice):
    (booking,) = _book(flight, operation, almaty, alice, 1)
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    booking_set_status(booking=booking, status=Booking.Status.NO_SHOW, by=alice)

    booking = booking_set_status(booking=booking, status=Booking.Status.BOARDED, by=alice)

    assert booking.status == Booking.Status.BOARDED


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Flight.Status.PLANNED, Flight.Status.DEPARTED),
        (Flight.Status.OPEN, Flight.Status.LANDED),
        (Flight.Status.PLANNED, Flight.Status.BOARDING),
    ],
)
def test_impossible_flight_transitions_are_refused(operation, nqz, kbp, alice, start, target):
    flight = make_flight(operation, nqz, kbp, status=start)

    with pytest.raises(InvalidTransition):
        flight_set_status(flight=flight, status=target, by=alice)

    flight.refresh_from_db()
    assert flight.status == start


def test_a_landed_flight_stays_landed(operation, nqz, kbp, alice, pin_clock):
    flight = make_flight(operation, nqz, kbp, status=Flight.Status.BOARDING)
    pin_clock(flight.departs_at)
    for status in (Flight.Status.DEPARTED, Flight.Status.LANDED):
        flight = flight_set_status(flight=flight, status=status, by=alice)

    with pytest.raises(InvalidTransition):
        flight_set_status(flight=flight, status=Flight.Status.CANCELLED, by=alice)


def test_a_flight_from_a_suspended_airport_cannot_open(operation, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, status=Flight.Status.PLANNED)
    Airport.objects.filter(pk=nqz.pk).update(status=Airport.Status.SUSPENDED)

    with pytest.raises(Conflict, match="suspended"):
        flight_set_status(flight=flight, status=Flight.Status.OPEN, by=alice)


def test_only_coordinators_change_flights(flight, bob, carol, dave):
    for user in (bob, carol, dave):
        with pytest.raises(PermissionDenied):
            flight_set_status(flight=flight, status=Flight.Status.CANCELLED, by=user)
    flight.refresh_from_db()
    assert flight.status == Flight.Status.OPEN


def test_seats_cannot_drop_below_the_seats_already_booked(operation, almaty, flight, alice):
    _book(flight, operation, almaty, alice, 4)

    with pytest.raises(ValidationError) as error:
        flight_update(flight=flight, seats_total=3, by=alice)

    assert "More seats are booked than the flight has." in str(error.value)
    flight.refresh_from_db()
    assert flight.seats_total == 10


def test_arrival_before_departure_is_refused_with_a_clear_message(flight, alice):
    with pytest.raises(ValidationError) as error:
        flight_update(flight=flight, arrives_at=flight.departs_at - timedelta(hours=1), by=alice)

    assert "A flight must arrive after it departs." in str(error.value)


def test_saving_a_stale_flight_does_not_overwrite_the_seat_count(operation, almaty, flight, alice):
    stale = Flight.objects.get(pk=flight.pk)
    _book(flight, operation, almaty, alice, 2)

    stale.notes = "Gate B12"
    stale.save()

    flight.refresh_from_db()
    assert flight.seats_booked == 2
    assert flight.notes == "Gate B12"


def test_local_times_are_shown_in_the_airports_zone(operation, nqz, kbp):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    # 9 January 2022: Nur-Sultan was UTC+6, Kyiv UTC+2.
    departs = datetime(2022, 1, 9, 7, 0, tzinfo=ZoneInfo("UTC"))
    flight = make_flight(operation, nqz, kbp, status=Flight.Status.PLANNED, departs_at=departs)

    assert (flight.departs_local.hour, flight.departs_local.minute) == (13, 0)
    assert flight.departs_local.tzname() == "+06"
    assert (flight.arrives_local.hour, flight.arrives_local.minute) == (14, 30)
    assert flight.arrives_local.tzname() == "EET"

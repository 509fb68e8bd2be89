import pytest
from django.core.exceptions import PermissionDenied

from evac.core.errors import InvalidTransition
from evac.flights.models import Booking, Flight
from evac.flights.services import (
    AlreadyBooked,
    FlightFull,
    FlightNotOpen,
    booking_cancel,
    booking_create,
    booking_set_status,
)
from evac.people.models import Citizen
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


def test_booking_takes_a_seat_and_marks_the_person_booked(operation, almaty, flight, alice):
    olena = make_citizen(operation, almaty)

    booking = booking_create(flight=flight, citizen=olena, by=alice)

    flight.refresh_from_db()
    olena.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED and booking.is_active
    assert booking.created_by == alice
    assert flight.seats_booked == 1 and flight.seats_left == 9
    assert olena.status == Citizen.Status.BOOKED


def test_a_full_flight_refuses_the_next_person(operation, almaty, nqz, kbp, alice):
    small = make_flight(operation, nqz, kbp, seats=1)
    booking_create(flight=small, citizen=make_citizen(operation, almaty), by=alice)
    late = make_citizen(operation, almaty)

    with pytest.raises(FlightFull, match="0 seats left; 1 are needed"):
        booking_create(flight=small, citizen=late, by=alice)

    late.refresh_from_db()
    small.refresh_from_db()
    assert late.status == Citizen.Status.WAITING
    assert small.seats_booked == 1


@pytest.mark.parametrize("status", [Flight.Status.PLANNED, Flight.Status.BOARDING])
def test_only_open_flights_take_bookings(operation, almaty, nqz, kbp, alice, status):
    not_open = make_flight(operation, nqz, kbp, status=status)

    with pytest.raises(FlightNotOpen):
        booking_create(flight=not_open, citizen=make_citizen(operation, almaty), by=alice)

    not_open.refresh_from_db()
    assert not_open.seats_booked == 0


def test_a_person_holds_at_most_one_seat(operation, almaty, nqz, kbp, flight, alice):
    olena = make_citizen(operation, almaty)
    other_flight = make_flight(operation, nqz, kbp)
    booking_create(flight=flight, citizen=olena, by=alice)

    with pytest.raises(AlreadyBooked):
        booking_create(flight=other_flight, citizen=olena, by=alice)

    other_flight.refresh_from_db()
    assert other_flight.seats_booked == 0
    assert Booking.objects.filter(citizen=olena, is_active=True).count() == 1


def test_the_database_refuses_a_second_active_seat_even_without_the_service(
    operation, almaty, nqz, kbp, flight, alice
):
    from django.db import IntegrityError, transaction

    olena = make_citizen(operation, almaty)
    booking_create(flight=flight, citizen=olena, by=alice)
    other_flight = make_flight(operation, nqz, kbp)

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(flight=other_flight, citizen=olena)


def test_the_database_refuses_more_bookings_than_seats(operation, almaty, nqz, kbp):
    from django.db import IntegrityError, transaction

    small = make_flight(operation, nqz, kbp, seats=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        Flight.objects.filter(pk=small.pk).update(seats_booked=3)


def test_cancelling_frees_the_seat_and_puts_the_person_back_on_the_waiting_list(
    operation, almaty, flight, alice
):
    olena = make_citizen(operation, almaty)
    booking = booking_create(flight=flight, citizen=olena, by=alice)

    booking = booking_cancel(booking=booking, by=alice)

    flight.refresh_from_db()
    olena.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and not booking.is_active
    assert flight.seats_booked == 0
    assert olena.status == Citizen.Status.WAITING
    # ...and the person can be booked again.
    assert booking_create(flight=flight, citizen=olena, by=alice).is_active


def test_a_cancelled_booking_cannot_be_cancelled_twice(operation, almaty, flight, alice):
    booking = booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=alice)
    booking_cancel(booking=booking, by=alice)

    with pytest.raises(InvalidTransition):
        booking_cancel(booking=booking, by=alice)

    flight.refresh_from_db()
    assert flight.seats_booked == 0


def test_confirming_and_checking_in_follow_the_booking_rules(operation, almaty, flight, bob, alice):
    booking = booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=alice)

    booking = booking_set_status(booking=booking, status=Booking.Status.CONFIRMED, by=bob)
    booking = booking_set_status(booking=booking, status=Booking.Status.CHECKED_IN, by=bob)

    assert booking.status == Booking.Status.CHECKED_IN
    assert booking.status_changed_by == bob
    with pytest.raises(InvalidTransition):
        booking_set_status(booking=booking, status=Booking.Status.CONFIRMED, by=bob)


def test_boarding_is_marked_only_while_the_flight_is_boarding(operation, almaty, flight, alice):
    booking = booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=alice)

    with pytest.raises(InvalidTransition, match="while the flight is boarding"):
        booking_set_status(booking=booking, status=Booking.Status.BOARDED, by=alice)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_viewers_and_officers_cannot_book(operation, almaty, flight, bob, carol):
    olena = make_citizen(operation, almaty)

    for user in (bob, carol):
        with pytest.raises(PermissionDenied):
            booking_create(flight=flight, citizen=olena, by=user)

    flight.refresh_from_db()
    assert flight.seats_booked == 0


def test_booking_history_records_who_did_it(operation, almaty, flight, alice):
    booking = booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=alice)
    booking_cancel(booking=booking, by=alice)

    changes = list(booking.history.order_by("history_date"))
    assert [h.status for h in changes] == ["booked", "cancelled"]
    assert all(h.history_user == alice for h in changes)

"""Cancelled seats and flights, withdrawn people and departures stop what no longer applies."""

import pytest

from evac.core.actor import EVAC
from evac.flights.models import Booking, Flight
from evac.flights.services import (
    booking_cancel,
    booking_create,
    booking_set_status,
    flight_set_status,
)
from evac.notifications import delivery
from evac.notifications.models import Notification
from evac.people.models import Citizen
from evac.people.services import citizen_set_status

pytestmark = pytest.mark.django_db
N = Notification


def _statuses(citizen, kind):
    return sorted(N.objects.filter(citizen=citizen, kind=kind).values_list("status", flat=True))


def test_cancelling_a_flight_cancels_its_reminders_and_tells_each_passenger_once(
    flight, olena, john
):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    booking_create(flight=flight, citizen=john, by=EVAC)

    flight_set_status(flight=flight, status=Flight.Status.CANCELLED, by=EVAC)

    for person in (olena, john):
        assert _statuses(person, N.Kind.FLIGHT_REMINDER) == ["cancelled", "cancelled"]
        assert _statuses(person, N.Kind.FLIGHT_CANCELLED) == ["pending"]
    notice = N.objects.get(citizen=olena, kind=N.Kind.FLIGHT_CANCELLED)
    assert flight.number in notice.body and "скасовано" in notice.body


def test_cancelling_a_seat_cancels_that_persons_pending_messages_only(flight, olena, john):
    seat = booking_create(flight=flight, citizen=olena, by=EVAC)
    booking_create(flight=flight, citizen=john, by=EVAC)

    booking_cancel(booking=seat, by=EVAC)

    about_the_seat = N.objects.filter(citizen=olena).exclude(kind=N.Kind.SEAT_CANCELLED)
    assert set(about_the_seat.values_list("status", flat=True)) == {"cancelled"}
    assert set(N.objects.filter(citizen=john).values_list("status", flat=True)) == {"pending"}


def test_a_message_already_sent_is_not_touched_by_a_cancellation(flight, olena):
    seat = booking_create(flight=flight, citizen=olena, by=EVAC)
    confirmation = N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION)
    delivery.notification_send(notification_id=confirmation.pk)

    booking_cancel(booking=seat, by=EVAC)

    confirmation.refresh_from_db()
    assert confirmation.status == N.Status.SENT


def test_a_person_who_decides_to_stay_gets_no_more_reminders(flight, olena):
    booking_create(flight=flight, citizen=olena, by=EVAC)

    citizen_set_status(citizen=olena, status=Citizen.Status.DECIDED_TO_STAY, by=EVAC)

    assert _statuses(olena, N.Kind.FLIGHT_REMINDER) == ["cancelled", "cancelled"]


def test_departure_cancels_what_is_left(flight, olena, pin_clock):
    seat = booking_create(flight=flight, citizen=olena, by=EVAC)
    pin_clock(flight.departs_at)
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=EVAC)
    booking_set_status(booking=seat, status=Booking.Status.BOARDED, by=EVAC)

    flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=EVAC)

    assert not N.objects.filter(status=N.Status.PENDING).exists()

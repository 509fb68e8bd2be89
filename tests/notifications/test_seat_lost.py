"""Losing a seat is always told: whatever the door, the person hears it once, and why, in
their language and on their channel."""

import pytest
from django.db import transaction

from evac.core.actor import EVAC
from evac.flights.models import Booking, Flight, SeatLoss
from evac.flights.services import (
    booking_cancel,
    booking_create,
    booking_set_status,
    flight_set_status,
    lock_flight,
    release_seat,
)
from evac.notifications.models import Notification
from evac.people.models import Citizen
from evac.people.services import citizen_set_status
from evac.portal.codes import one_time_code_issue
from evac.portal.services import portal_decide
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db
N = Notification


def _told(citizen) -> Notification:
    (message,) = N.objects.filter(
        citizen=citizen, kind__in=(N.Kind.SEAT_CANCELLED, N.Kind.FLIGHT_CANCELLED)
    )
    return message


def test_a_seat_cancelled_by_staff_is_told_in_the_persons_language_by_sms(flight, olena, alice):
    seat = booking_create(flight=flight, citizen=olena, by=alice)

    booking_cancel(booking=seat, by=alice)

    message = _told(olena)
    assert (message.kind, message.channel, message.to_address) == (
        N.Kind.SEAT_CANCELLED,
        "sms",
        "+77011234567",
    )
    assert (message.status, message.language, message.booking) == ("pending", "uk", seat)
    assert message.parameters == {"reason": SeatLoss.STAFF_CANCELLED}
    assert f"Ваше місце на рейс {flight.number}" in message.body
    assert "скасовано. Ви знову в списку очікування" in message.body
    assert olena.reference in message.body


def test_a_person_who_prefers_e_mail_is_told_by_e_mail_in_english(flight, john, alice):
    seat = booking_create(flight=flight, citizen=john, by=alice)

    booking_cancel(booking=seat, by=alice)

    message = _told(john)
    assert (message.channel, message.to_address, message.language) == (
        "email",
        "john@example.org",
        "en",
    )
    assert message.subject == f"Your seat on flight {flight.number} is cancelled"
    assert "You are on the waiting list again" in message.body


def test_a_cancelled_flight_tells_each_passenger_once_in_its_own_notice(flight, olena, john):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    booking_create(flight=flight, citizen=john, by=EVAC)

    flight_set_status(flight=flight, status=Flight.Status.CANCELLED, by=EVAC)

    for person in (olena, john):
        assert _told(person).kind == N.Kind.FLIGHT_CANCELLED
    assert "is cancelled" in _told(john).body


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Citizen.Status.DECIDED_TO_STAY, "ви вирішили залишитися"),
        (Citizen.Status.LEFT_BY_OWN_MEANS, "ви виїхали самостійно"),
        (Citizen.Status.UNREACHABLE, "ми не змогли з вами зв’язатися"),
    ],
)
def test_a_decision_that_frees_the_seat_is_told_with_its_reason(
    flight, olena, alice, status, words
):
    booking_create(flight=flight, citizen=olena, by=alice)

    citizen_set_status(citizen=olena, status=status, by=alice)

    message = _told(olena)
    assert message.parameters == {"reason": status}
    assert words in message.body


def test_withdrawing_on_the_portal_is_confirmed_by_a_message(flight, olena, sms_file):
    from tests.portal.conftest import last_code, send_all_pending

    booking_create(flight=flight, citizen=olena, by=EVAC)
    one_time_code_issue(citizen=olena, channel="sms")
    send_all_pending()

    portal_decide(citizen=olena, status=Citizen.Status.LEFT_BY_OWN_MEANS, code=last_code(sms_file))

    assert _told(olena).parameters == {"reason": SeatLoss.LEFT_BY_OWN_MEANS}


def test_a_passenger_not_boarded_when_the_flight_leaves_is_told_the_seat_is_gone(
    flight, olena, john, pin_clock
):
    missed = booking_create(flight=flight, citizen=olena, by=EVAC)
    boarded = booking_create(flight=flight, citizen=john, by=EVAC)
    pin_clock(flight.departs_at)
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=EVAC)
    booking_set_status(booking=boarded, status=Booking.Status.BOARDED, by=EVAC)

    flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=EVAC)

    message = _told(olena)
    assert (message.booking, message.parameters) == (missed, {"reason": SeatLoss.NO_SHOW})
    assert "вилетів без вас" in message.body
    assert not N.objects.filter(citizen=john, kind=N.Kind.SEAT_CANCELLED).exists()


def test_a_seat_lost_to_a_household_change_says_so(flight, john):
    seat = booking_create(flight=flight, citizen=john, by=EVAC)

    with transaction.atomic():
        lock_flight(flight.pk)
        release_seat(
            Booking.objects.get(pk=seat.pk),
            by=EVAC,
            citizen_status=Citizen.Status.WAITING,
            reason=SeatLoss.HOUSEHOLD_CHANGED,
        )

    assert "as the people you travel with changed" in _told(john).body


def test_a_seat_is_told_lost_once_even_if_asked_twice(flight, olena):
    from evac.notifications.travel import seat_released

    seat = booking_create(flight=flight, citizen=olena, by=EVAC)
    booking_cancel(booking=seat, by=EVAC)

    seat_released(booking=seat, reason=SeatLoss.STAFF_CANCELLED)

    assert N.objects.filter(kind=N.Kind.SEAT_CANCELLED).count() == 1


def test_a_person_with_no_phone_or_e_mail_still_loses_the_seat_cleanly(operation, almaty, flight):
    silent = make_citizen(operation, almaty)
    seat = booking_create(flight=flight, citizen=silent, by=EVAC)

    booking_cancel(booking=seat, by=EVAC)

    seat.refresh_from_db()
    assert seat.status == Booking.Status.CANCELLED and not N.objects.filter(citizen=silent)

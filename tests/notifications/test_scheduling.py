"""Booking a seat writes a confirmation and the reminders, in the booking's transaction."""

from datetime import UTC, datetime, timedelta

import pytest

from evac.core.actor import EVAC
from evac.flights.services import FlightFull, booking_create, household_book
from evac.notifications import travel
from evac.notifications.models import Notification
from evac.people.services import household_register
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db
N = Notification


def test_booking_a_seat_writes_a_confirmation_now_and_reminders_24_and_3_hours_before_the_report_time(  # noqa: E501
    flight, olena
):
    booking = booking_create(flight=flight, citizen=olena, by=EVAC)

    messages = {n.kind: n for n in N.objects.filter(kind=N.Kind.BOOKING_CONFIRMATION)}
    assert messages[N.Kind.BOOKING_CONFIRMATION].booking == booking
    reminders = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).order_by("due_at")
    assert flight.report_at == flight.departs_at - timedelta(hours=3)
    assert [r.due_at for r in reminders] == [
        flight.report_at - timedelta(hours=24),
        flight.report_at - timedelta(hours=3),
    ]
    assert all(
        n.status == N.Status.PENDING and n.to_address == "+77011234567" and n.channel == "sms"
        for n in N.objects.all()
    )


def test_the_reminder_offsets_come_from_settings(settings, flight, olena):
    settings.EVAC_REMINDER_OFFSETS_HOURS = [48, 12, 2]

    booking_create(flight=flight, citizen=olena, by=EVAC)

    hours_before = sorted(
        int((flight.report_at - n.due_at).total_seconds() // 3600)
        for n in N.objects.filter(kind=N.Kind.FLIGHT_REMINDER)
    )
    assert hours_before == [2, 12, 48]


def test_reminders_whose_moment_has_passed_are_not_written(operation, nqz, kbp, olena):
    from evac.core.clock import now
    from tests.factories import make_flight

    soon = make_flight(operation, nqz, kbp, departs_at=now() + timedelta(hours=8))

    booking_create(flight=soon, citizen=olena, by=EVAC)

    reminders = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER)
    assert [soon.report_at - r.due_at for r in reminders] == [timedelta(hours=3)]


def test_a_person_who_prefers_e_mail_gets_e_mail_with_a_subject(flight, john):
    booking_create(flight=flight, citizen=john, by=EVAC)

    confirmation = N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION)
    assert (confirmation.channel, confirmation.to_address) == ("email", "john@example.org")
    assert confirmation.subject.startswith(f"Your seat on flight {flight.number}")


def test_a_person_who_prefers_calls_gets_sms_on_the_same_phone(operation, almaty, flight):
    caller = make_citizen(operation, almaty, phone="+77010000001", preferred_channel="phone")

    booking_create(flight=flight, citizen=caller, by=EVAC)

    assert set(N.objects.values_list("channel", "to_address")) == {("sms", "+77010000001")}


def test_a_person_without_phone_or_e_mail_gets_no_message_and_still_a_seat(
    operation, almaty, flight
):
    silent = make_citizen(operation, almaty)

    booking = booking_create(flight=flight, citizen=silent, by=EVAC)

    assert booking.pk and not N.objects.exists()


def test_asking_for_the_same_messages_twice_writes_them_once(flight, olena):
    booking = booking_create(flight=flight, citizen=olena, by=EVAC)
    keys = set(N.objects.values_list("idempotency_key", flat=True))

    travel.bookings_made(bookings=[booking])

    assert N.objects.count() == 3
    assert set(N.objects.values_list("idempotency_key", flat=True)) == keys
    assert f"confirmation:{booking.pk}" in keys


def test_a_household_booked_together_gets_one_confirmation_each(operation, almaty, flight):
    person = {
        "date_of_birth": "1980-01-01",
        "sex": "F",
        "nationality": "UA",
        "document_type": "passport",
        "current_city": almaty,
    }
    household = household_register(
        operation=operation,
        source="staff_intake",
        by=EVAC,
        members=[
            {
                **person,
                "surname": "Bondar",
                "given_names": "Iryna",
                "document_number": "HH1",
                "phone": "+77010000011",
            },
            {
                **person,
                "surname": "Bondar",
                "given_names": "Taras",
                "document_number": "HH2",
                "phone": "+77010000012",
            },
        ],
    )

    household_book(flight=flight, household=household, by=EVAC)

    confirmations = N.objects.filter(kind=N.Kind.BOOKING_CONFIRMATION)
    assert sorted(confirmations.values_list("to_address", flat=True)) == [
        "+77010000011",
        "+77010000012",
    ]


def test_a_booking_that_fails_leaves_no_message(operation, nqz, kbp, olena, john):
    from tests.factories import make_flight

    full = make_flight(operation, nqz, kbp, seats=1)
    booking_create(flight=full, citizen=john, by=EVAC)
    before = N.objects.count()

    with pytest.raises(FlightFull):
        booking_create(flight=full, citizen=olena, by=EVAC)

    assert N.objects.count() == before
    assert not N.objects.filter(citizen=olena).exists()


def test_the_last_reminder_comes_before_the_report_time_and_says_be_there_by_it(
    operation, nqz, kbp, john
):
    """A 10:40 flight: be at the airport by 07:40, so the 3-hour reminder goes at 04:40."""
    from tests.factories import make_flight

    local_departure = datetime(2030, 1, 13, 10, 40, tzinfo=nqz.city.time_zone)
    flight = make_flight(operation, nqz, kbp, departs_at=local_departure.astimezone(UTC))

    booking_create(flight=flight, citizen=john, by=EVAC)

    last = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).order_by("due_at").last()
    assert nqz.local_time(last.due_at).strftime("%H:%M") == "04:40"
    assert "leaves 13 January at 10:40" in last.body
    assert "Be at the airport by 07:40" in last.body


def test_a_flight_with_its_own_report_time_is_reminded_before_it(operation, nqz, kbp, john):
    from evac.core import clock
    from evac.flights.services import flight_create, flight_set_status

    departs_at = datetime(2030, 1, 13, 8, 20, tzinfo=UTC)
    with clock.pinned(departs_at - timedelta(days=2)):  # planned when it could be
        flight = flight_create(
            operation=operation,
            by=EVAC,
            number="KC 101",
            carrier="Air Astana",
            departure_airport=nqz,
            arrival_airport=kbp,
            departs_at=departs_at,
            arrives_at=departs_at + timedelta(hours=5),
            seats_total=5,
            report_minutes_before=90,
        )
        flight = flight_set_status(flight=flight, status=flight.Status.OPEN, by=EVAC)

    booking_create(flight=flight, citizen=john, by=EVAC)

    report_at = departs_at - timedelta(minutes=90)
    reminders = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).order_by("due_at")
    assert [r.due_at for r in reminders] == [
        report_at - timedelta(hours=24),
        report_at - timedelta(hours=3),
    ]
    local = nqz.local_time(report_at).strftime("%H:%M")
    assert all(f"Be at the airport by {local}" in r.body for r in reminders)

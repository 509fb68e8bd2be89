"""A journey's confirmation and reminders name every leg in order, in the person's language
and on their channel, and the reminders are timed for the first leg, not the flight."""

from datetime import timedelta

import pytest

from evac.core.clock import now
from evac.flights.journeys import journey_book, journey_leg_add
from evac.flights.models import GroundTransfer
from evac.flights.transfers import transfer_set_status
from evac.notifications import texts
from evac.notifications.compose import sms_fitted
from evac.notifications.models import Notification
from evac.notifications.sms import MAX_SMS_SEGMENTS, sms_length
from tests.factories import make_citizen
from tests.flights.factories import make_transfer
from tests.notifications.test_sms_length import _longest_context, _longest_transfer

pytestmark = pytest.mark.django_db
N = Notification


@pytest.fixture
def train(operation, almaty, nur_sultan):
    """Train 12, Almaty 12 Jan 20:40 local (UTC+5), arriving the next morning."""
    return make_transfer(operation, almaty, nur_sultan, meeting_point="Almaty-2 station, main hall")


def _messages(citizen, kind):
    """What is to go out or went out: reminders of the flight alone, cancelled in the
    journey's transaction once its legs are known, are not."""
    rows = N.objects.filter(citizen=citizen, kind=kind).exclude(status=N.Status.CANCELLED)
    return list(rows.order_by("due_at", "pk"))


def test_the_confirmation_names_the_train_and_its_meeting_point_then_the_flight(
    train, flight, alice, olena
):
    journey_book(flight=flight, transfers=[train], citizen=olena, by=alice)

    (confirmation,) = _messages(olena, N.Kind.BOOKING_CONFIRMATION)
    assert confirmation.channel == N.Channel.SMS and confirmation.language == "uk"
    assert confirmation.body.startswith(
        "Заброньовано: поїзд 12 Almaty – Nur-Sultan, 12 січня 20:40 (UTC+5), "
        "збір: Almaty-2 station, main hall; далі рейс "
        f"{flight.number} 13 січня о 13:20, будьте в аеропорту NQZ до 10:20 з паспортом."
    )


def test_an_english_reader_gets_the_journey_by_e_mail(train, flight, alice, john):
    journey_book(flight=flight, transfers=[train], citizen=john, by=alice)

    (confirmation,) = _messages(john, N.Kind.BOOKING_CONFIRMATION)
    assert confirmation.channel == N.Channel.EMAIL
    assert confirmation.subject == f"Your journey to flight {flight.number} is booked"
    assert (
        "Your journey is booked: train 12 Almaty - Nur-Sultan, 12 January 20:40 (UTC+5), "
        "meeting point Almaty-2 station, main hall; then flight "
        f"{flight.number} on 13 January 13:20, be at NQZ by 10:20, with your passport."
    ) in confirmation.body


def test_two_legs_are_named_in_the_order_they_run(
    operation, almaty, nur_sultan, flight, alice, olena, john, settings
):
    settings.EVAC_CONNECTION_MARGIN_MINUTES = 30
    karaganda = type(almaty).objects.create(name="Karaganda", country="KZ", time_zone="Asia/Almaty")
    early = flight.departs_at - timedelta(hours=40)
    bus = make_transfer(
        operation, almaty, karaganda, departs_at=early, hours=5, mode="bus", number="3"
    )
    train = make_transfer(
        operation, karaganda, nur_sultan, departs_at=early + timedelta(hours=6), hours=10
    )

    for person in (olena, john):
        journey_book(flight=flight, transfers=[train, bus], citizen=person, by=alice)

    (by_mail,) = _messages(john, N.Kind.BOOKING_CONFIRMATION)
    assert (
        "bus 3 Almaty - Karaganda, 11 January 21:20 (UTC+5), meeting point Almaty-2 station, "
        "main hall; then train 12 Karaganda - Nur-Sultan, 12 January 03:20 (UTC+5), meeting "
        f"point Almaty-2 station, main hall; then flight {flight.number} on 13 January"
    ) in by_mail.body
    # Too long for three Cyrillic segments in full: the SMS names the legs in short.
    (by_sms,) = _messages(olena, N.Kind.BOOKING_CONFIRMATION)
    assert by_sms.body.startswith(
        "Заброньовано: автобус 3 Almaty, 11 січня 21:20, збір: Almaty-2 station, main hall; "
        f"далі поїзд 12; далі рейс {flight.number} 13 січня о 13:20, в NQZ до 10:20."
    )
    assert sms_length(by_sms.body).segments <= MAX_SMS_SEGMENTS


def test_reminders_are_timed_for_the_train_and_name_the_whole_journey(
    train, flight, alice, olena, settings
):
    settings.EVAC_REMINDER_OFFSETS_HOURS = [24, 3]

    journey_book(flight=flight, transfers=[train], citizen=olena, by=alice)

    reminders = _messages(olena, N.Kind.FLIGHT_REMINDER)
    assert [r.due_at for r in reminders] == [
        train.departs_at - timedelta(hours=24),
        train.departs_at - timedelta(hours=3),
    ]
    assert all(
        r.body.startswith("Нагадування: поїзд 12 Almaty – Nur-Sultan, 12 січня 20:40")
        and "будьте в аеропорту NQZ до 10:20" in r.body
        for r in reminders
    )


def test_a_flight_seat_booked_alone_keeps_its_flight_reminders(flight, alice, olena, settings):
    from evac.flights.services import booking_create

    settings.EVAC_REMINDER_OFFSETS_HOURS = [24, 3]

    booking_create(flight=flight, citizen=olena, by=alice)

    reminders = _messages(olena, N.Kind.FLIGHT_REMINDER)
    assert [r.due_at for r in reminders] == [
        flight.report_at - timedelta(hours=24),
        flight.report_at - timedelta(hours=3),
    ]
    assert "поїзд" not in reminders[0].body


def test_a_new_train_for_someone_stranded_is_confirmed_in_a_new_message(
    operation, almaty, nur_sultan, train, flight, alice, olena
):
    journey = journey_book(flight=flight, transfers=[train], citizen=olena, by=alice)
    N.objects.filter(kind=N.Kind.BOOKING_CONFIRMATION).update(status=N.Status.SENT, sent_at=now())
    transfer_set_status(transfer=train, status=GroundTransfer.Status.CANCELLED, by=alice)
    bus = make_transfer(operation, almaty, nur_sultan, mode="bus", number="7")

    journey_leg_add(booking=journey.bookings[0], transfer=bus, by=alice)

    first, second = _messages(olena, N.Kind.BOOKING_CONFIRMATION)
    assert "поїзд 12" in first.body
    assert second.body.startswith("Заброньовано: автобус 7 Almaty – Nur-Sultan")
    assert "поїзд" not in second.body
    reminders = _messages(olena, N.Kind.FLIGHT_REMINDER)
    assert reminders and all("автобус 7" in r.body for r in reminders)


def test_a_lost_train_takes_its_reminders_back_to_the_flight(train, flight, alice, olena, settings):
    settings.EVAC_REMINDER_OFFSETS_HOURS = [24, 3]
    journey_book(flight=flight, transfers=[train], citizen=olena, by=alice)

    transfer_set_status(transfer=train, status=GroundTransfer.Status.CANCELLED, by=alice)

    reminders = _messages(olena, N.Kind.FLIGHT_REMINDER)
    assert [r.due_at for r in reminders] == [
        flight.report_at - timedelta(hours=24),
        flight.report_at - timedelta(hours=3),
    ]
    assert all("поїзд" not in r.body for r in reminders)


@pytest.mark.parametrize("language", ["en", "uk", "ru"])
@pytest.mark.parametrize("kind", [N.Kind.BOOKING_CONFIRMATION, N.Kind.FLIGHT_REMINDER])
@pytest.mark.parametrize("legs", [1, 2])
def test_a_journey_sms_with_the_longest_values_fits_by_cutting_the_meeting_points(
    kind, language, legs
):
    context = {**_longest_context(language), "legs": [_longest_transfer(language)] * legs}

    body = sms_fitted(kind, language, context).body

    assert sms_length(body).segments <= MAX_SMS_SEGMENTS, body
    assert "PS 9004" in body and "UKK" in body and context["reference"] in body
    if language == "en":
        assert sms_length(body).encoding == "GSM-7"
    # The e-mail keeps the meeting point whole.
    assert "M" * 200 in texts.render(kind, language, context, sms=False).body


def test_a_short_meeting_point_is_not_cut(operation, almaty, train, flight, alice):
    kate = make_citizen(operation, almaty, phone="+77011112233", preferred_language="en")

    journey_book(flight=flight, transfers=[train], citizen=kate, by=alice)

    (confirmation,) = _messages(kate, N.Kind.BOOKING_CONFIRMATION)
    assert "meeting point Almaty-2 station, main hall;" in confirmation.body

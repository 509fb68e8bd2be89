"""A train's new time or meeting point reaches everyone on it once, with the new details; a
journey's reminders follow the train; staff see the journeys that no longer connect."""

from datetime import timedelta

import pytest
from django.urls import reverse

from evac.core.clock import now
from evac.flights.journeys import journey_book, journeys_not_connecting
from evac.flights.transfers import transfer_book, transfer_update
from evac.notifications import texts
from evac.notifications.compose import sms_fitted
from evac.notifications.models import Notification
from evac.notifications.sms import MAX_SMS_SEGMENTS, sms_length
from tests.flights.factories import make_transfer
from tests.notifications.test_sms_length import _longest_context, _longest_transfer

pytestmark = pytest.mark.django_db
N = Notification


@pytest.fixture
def train(operation, almaty, nur_sultan):
    return make_transfer(operation, almaty, nur_sultan, meeting_point="Almaty-2, main hall")


@pytest.fixture
def booked(train, flight, alice, olena, john):
    """Olena on the train, then the flight; John on the train alone. Both confirmed."""
    journey_book(flight=flight, transfers=[train], citizen=olena, by=alice)
    transfer_book(transfer=train, citizen=john, by=alice)
    N.objects.filter(kind=N.Kind.BOOKING_CONFIRMATION).update(status=N.Status.SENT, sent_at=now())


def _notices(citizen):
    return list(
        N.objects.filter(citizen=citizen, kind=N.Kind.FLIGHT_CHANGED)
        .exclude(status=N.Status.CANCELLED)
        .order_by("pk")
    )


def _later(train, alice, minutes=60):
    return transfer_update(
        transfer=train,
        by=alice,
        departs_at=train.departs_at + timedelta(minutes=minutes),
        arrives_at=train.arrives_at + timedelta(minutes=minutes),
    )


def test_a_new_departure_time_tells_everyone_on_the_train_once_with_it(
    train, alice, olena, john, booked
):
    train = _later(train, alice)
    _later(train, alice, minutes=0)  # the same plan asked for again

    (to_olena,) = _notices(olena)
    assert to_olena.channel == N.Channel.SMS and to_olena.body.startswith(
        "Зміна: поїзд 12 Almaty – Nur-Sultan: відправлення 12 січня о 21:40 (UTC+5), "
        "прибуття 13 січня 08:40; збір: Almaty-2, main hall. Попередній час недійсний."
    )
    (to_john,) = _notices(john)
    assert to_john.channel == N.Channel.EMAIL
    assert to_john.subject == "Your train has changed"
    assert "now leaves 12 January at 21:40 (UTC+5)" in to_john.body


def test_a_second_change_replaces_a_notice_not_yet_sent(train, alice, olena, booked):
    train = _later(train, alice)
    _later(train, alice, minutes=30)

    (latest,) = _notices(olena)
    assert "відправлення 12 січня о 22:10" in latest.body
    assert N.objects.filter(
        citizen=olena, kind=N.Kind.FLIGHT_CHANGED, status=N.Status.CANCELLED
    ).exists()


def test_a_sent_notice_is_not_sent_again_but_a_new_change_is_told(train, alice, olena, booked):
    _later(train, alice)
    N.objects.filter(kind=N.Kind.FLIGHT_CHANGED).update(status=N.Status.SENT, sent_at=now())

    transfer_update(transfer=train, by=alice, meeting_point="Almaty-2, platform 3")

    sent, new = _notices(olena)
    assert sent.status == N.Status.SENT
    assert new.status == N.Status.PENDING and "збір: Almaty-2, platform 3" in new.body


def test_a_change_that_is_no_news_tells_nobody(train, alice, olena, john, booked):
    transfer_update(transfer=train, by=alice, operator="Kazakhstan Temir Zholy")

    assert _notices(olena) == [] and _notices(john) == []


def test_a_journeys_reminders_follow_the_train(train, alice, olena, booked, settings):
    settings.EVAC_REMINDER_OFFSETS_HOURS = [24, 3]

    train = _later(train, alice, minutes=90)

    pending = N.objects.filter(
        citizen=olena, kind=N.Kind.FLIGHT_REMINDER, status=N.Status.PENDING
    ).order_by("due_at")
    assert [r.due_at for r in pending] == [
        train.departs_at - timedelta(hours=24),
        train.departs_at - timedelta(hours=3),
    ]
    assert all("12 січня 22:10" in r.body for r in pending)


def test_a_person_not_yet_confirmed_gets_the_confirmation_with_the_new_time_instead(
    train, flight, alice, olena
):
    journey_book(flight=flight, transfers=[train], citizen=olena, by=alice)

    _later(train, alice)

    assert _notices(olena) == []
    (confirmation,) = N.objects.filter(citizen=olena, kind=N.Kind.BOOKING_CONFIRMATION)
    assert "12 січня 21:40" in confirmation.body


def test_staff_see_a_journey_whose_train_now_arrives_too_late(
    client, operation, train, flight, alice, olena, booked, settings
):
    settings.EVAC_CONNECTION_MARGIN_MINUTES = 60
    assert journeys_not_connecting(operation) == []

    # Report time 05:20 UTC, less the margin 04:20; the train arrived 02:40, now 05:40.
    _later(train, alice, minutes=180)

    (broken,) = journeys_not_connecting(operation)
    assert broken.booking.citizen == olena and "needs people at NQZ" in broken.refusal
    client.force_login(alice)
    page = client.get(reverse("transfers:list", args=[operation.slug]))
    assert "Journeys that no longer connect" in page.text and str(olena) in page.text


@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_the_longest_change_notice_fits_in_an_sms(language):
    context = {**_longest_context(language), "transfer": _longest_transfer(language)}
    context["transfer"]["arrives"] = context["transfer"]["departs"]

    body = sms_fitted(N.Kind.FLIGHT_CHANGED, language, context).body

    assert sms_length(body).segments <= MAX_SMS_SEGMENTS, body
    assert "XXXXXXXXXXXX" in body and context["reference"] in body
    full = texts.render(N.Kind.FLIGHT_CHANGED, language, context, sms=False).body
    assert "M" * 200 in full

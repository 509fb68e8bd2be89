"""A send claims its row first: once sent, never again; failures retry or wait for staff."""

from datetime import timedelta

import pytest
from django.core import mail

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.core.errors import InvalidTransition
from evac.flights.services import booking_create
from evac.notifications import delivery, services
from evac.notifications.models import Notification
from evac.notifications.sms import PermanentSendError, TransientSendError

pytestmark = pytest.mark.django_db
N = Notification


@pytest.fixture
def confirmation(flight, olena):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    return N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION)


class Failing:
    def __init__(self, error):
        self.error = error

    def send(self, *, to, text, reference):
        raise self.error

    def find_sent(self, **kwargs):
        return ""


def _backend(monkeypatch, backend):
    monkeypatch.setattr("evac.notifications.delivery.sms_backend", lambda: backend)


def test_a_due_sms_goes_to_the_file_once_and_is_marked_sent(confirmation, sms_file):
    assert delivery.notification_send(notification_id=confirmation.pk) == "sent"
    assert delivery.notification_send(notification_id=confirmation.pk) == "not claimed"

    (line,) = sms_file.read()
    confirmation.refresh_from_db()
    assert line["reference"] == str(confirmation.pk)
    assert (line["to"], line["text"]) == ("+77011234567", confirmation.body)
    assert confirmation.status == N.Status.SENT
    assert confirmation.provider_message_id == line["id"]
    assert confirmation.sent_at is not None and confirmation.attempts == 1


def test_a_reminder_is_not_sent_before_it_is_due(flight, olena, sms_file):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    reminder = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).first()

    assert delivery.notification_send(notification_id=reminder.pk) == "not claimed"
    assert sms_file.read() == []


def test_a_cancelled_message_is_never_sent(confirmation, alice, sms_file):
    services.notification_cancel(notification=confirmation, by=alice)

    assert delivery.notification_send(notification_id=confirmation.pk) == "not claimed"
    assert sms_file.read() == []


def test_a_transient_error_puts_it_back_with_a_later_due_time(confirmation, monkeypatch):
    _backend(monkeypatch, Failing(TransientSendError("timed out")))

    assert delivery.notification_send(notification_id=confirmation.pk) == "retry later"

    confirmation.refresh_from_db()
    assert confirmation.status == N.Status.PENDING
    assert confirmation.due_at > now() + timedelta(seconds=20)
    assert "timed out" in confirmation.last_error and confirmation.attempts == 1


def test_after_the_last_attempt_a_transient_error_fails_it(settings, confirmation, monkeypatch):
    settings.EVAC_NOTIFICATION_MAX_ATTEMPTS = 2
    _backend(monkeypatch, Failing(TransientSendError("timed out")))
    delivery.notification_send(notification_id=confirmation.pk)
    N.objects.filter(pk=confirmation.pk).update(due_at=now())

    assert delivery.notification_send(notification_id=confirmation.pk) == "failed"

    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.attempts) == (N.Status.FAILED, 2)


def test_a_permanent_error_fails_it_at_once_and_staff_can_send_it_again(
    confirmation, monkeypatch, alice, sms_file
):
    _backend(monkeypatch, Failing(PermanentSendError("21211 invalid 'To' number")))
    assert delivery.notification_send(notification_id=confirmation.pk) == "failed"
    confirmation.refresh_from_db()
    assert confirmation.status == N.Status.FAILED and "21211" in confirmation.last_error
    monkeypatch.undo()

    services.notification_retry(notification=confirmation, by=alice)
    assert delivery.notification_send(notification_id=confirmation.pk) == "sent"

    assert len(sms_file.read()) == 1


def test_only_failed_messages_are_retried_and_only_pending_ones_cancelled(confirmation, alice):
    with pytest.raises(InvalidTransition):
        services.notification_retry(notification=confirmation, by=alice)
    delivery.notification_send(notification_id=confirmation.pk)
    with pytest.raises(InvalidTransition):
        services.notification_cancel(notification=confirmation, by=alice)


def test_a_viewer_can_neither_retry_nor_cancel(confirmation, carol):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.notification_cancel(notification=confirmation, by=carol)


def test_e_mail_goes_through_djangos_backend(flight, john):
    booking_create(flight=flight, citizen=john, by=EVAC)
    confirmation = N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION)

    assert delivery.notification_send(notification_id=confirmation.pk) == "sent"

    (email,) = mail.outbox
    assert email.to == ["john@example.org"] and email.subject == confirmation.subject
    assert email.body == confirmation.body
    confirmation.refresh_from_db()
    assert confirmation.provider_message_id == email.extra_headers["Message-ID"]


# A worker that died between claim and record ------------------------------------------


def _left_sending(notification, minutes_ago=10):
    N.objects.filter(pk=notification.pk).update(
        status=N.Status.SENDING, claimed_at=now() - timedelta(minutes=minutes_ago), attempts=1
    )


def test_a_stale_send_the_provider_has_is_recorded_as_sent_not_sent_again(confirmation, sms_file):
    message_id = sms_file.send(to="+77011234567", text="x", reference=str(confirmation.pk))
    _left_sending(confirmation)

    assert delivery.recover_stale_sending() == 1

    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.provider_message_id) == (N.Status.SENT, message_id)


def test_a_stale_send_the_provider_never_got_goes_out_again(confirmation, sms_file):
    _left_sending(confirmation)

    delivery.recover_stale_sending()
    assert delivery.notification_send(notification_id=confirmation.pk) == "sent"

    assert [line["reference"] for line in sms_file.read()] == [str(confirmation.pk)]


def test_a_stale_send_nobody_can_vouch_for_waits_for_staff(settings, confirmation):
    settings.EVAC_SMS_BACKEND = "evac.notifications.sms.ConsoleSmsBackend"
    _left_sending(confirmation)

    delivery.recover_stale_sending()

    confirmation.refresh_from_db()
    assert confirmation.status == N.Status.FAILED
    assert confirmation.last_error == delivery.UNKNOWN_OUTCOME


def test_a_send_that_is_only_slow_is_left_alone(confirmation):
    _left_sending(confirmation, minutes_ago=1)

    assert delivery.recover_stale_sending() == 0


def test_a_second_attempt_asks_the_provider_before_sending_again(confirmation, sms_file):
    # The first attempt reached the provider, then timed out waiting for the answer.
    sms_file.send(to="+77011234567", text=confirmation.body, reference=str(confirmation.pk))
    N.objects.filter(pk=confirmation.pk).update(attempts=1, last_error="timed out")

    assert delivery.notification_send(notification_id=confirmation.pk) == "sent"

    assert len(sms_file.read()) == 1


def test_the_dispatcher_picks_due_rows_once_until_they_look_lost(settings, flight, olena):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    confirmation = N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION)

    assert delivery.notifications_due_for_dispatch(limit=100) == [confirmation.pk]
    assert delivery.notifications_due_for_dispatch(limit=100) == []

    settings.EVAC_NOTIFICATION_REQUEUE_SECONDS = 0
    assert delivery.notifications_due_for_dispatch(limit=100) == [confirmation.pk]

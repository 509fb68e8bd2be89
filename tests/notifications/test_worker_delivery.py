"""A real worker on Redis delivers due messages to the SMS file: all of them, each once,
even when it is killed in the middle of a batch."""

import os
import signal
from datetime import timedelta

import pytest

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.services import booking_create
from evac.notifications import delivery
from evac.notifications.models import Notification
from tests.factories import make_citizen
from tests.notifications.worker import (
    dispatch,
    lines_per_notification,
    unsettled,
    wait_until,
    worker,
    worker_environment,
)
from tests.notifications.worker import redis_broker as redis_broker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
N = Notification


def test_a_worker_sends_the_confirmations_of_booked_people_once(
    tmp_path, sms_file, redis_broker, flight, olena, john
):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    booking_create(flight=flight, citizen=john, by=EVAC)
    confirmations = N.objects.filter(kind=N.Kind.BOOKING_CONFIRMATION)
    env = worker_environment(tmp_path, sms_file.path)

    # Queued on commit, before any worker ran: they wait in Redis.
    with worker(tmp_path, env):
        wait_until(lambda: not confirmations.exclude(status="sent").exists(), "sent", tmp_path)
        dispatch(redis_broker)  # a dispatch round finds nothing more to send

    assert lines_per_notification(sms_file) == {
        confirmations.get(citizen=olena).pk: 1
    }  # John's goes by e-mail, to the worker's mail folder
    mail = list((tmp_path / "var" / "mail").iterdir())
    assert len(mail) == 1 and "john@example.org" in mail[0].read_text()
    assert not N.objects.filter(kind=N.Kind.FLIGHT_REMINDER, status="sent").exists()


def _due_messages(operation, almaty, count: int) -> list[int]:
    person = make_citizen(operation, almaty, phone="+77011234567")
    moment = now() - timedelta(minutes=1)
    rows = N.objects.bulk_create(
        N(
            operation=operation,
            citizen=person,
            channel=N.Channel.SMS,
            kind=N.Kind.BROADCAST,
            language="en",
            body=f"Message {i}",
            to_address="+77011234567",
            due_at=moment,
            idempotency_key=f"fault-test:{i}",
        )
        for i in range(count)
    )
    return [row.pk for row in rows]


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    tmp_path, sms_file, redis_broker, operation, almaty
):
    ids = _due_messages(operation, almaty, 300)
    env = worker_environment(
        tmp_path, sms_file.path, EVAC_SMS_BACKEND="tests.notifications.slow_sms.SlowFileSmsBackend"
    )

    app = redis_broker
    with worker(tmp_path, env, "first") as first:
        dispatch(app)
        # Both worker processes end up inside a send that the provider never answers.
        wait_until(
            lambda: N.objects.filter(status=N.Status.SENDING).count() == 2,
            "two sends in flight",
            tmp_path,
            "first",
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    sent_before_the_kill = len(sms_file.read())
    assert sent_before_the_kill < len(ids), "the worker finished before it was killed"

    # Nobody sends now, so every "sending" row is a dead worker's: settle them at once
    # (in production after EVAC_NOTIFICATION_SENDING_TIMEOUT_SECONDS).
    # Killed while handing messages over: the provider has them, Evac hasn't recorded it.
    assert N.objects.filter(status=N.Status.SENDING).exists()
    delivery.recover_stale_sending(older_than=timedelta(0))
    # The new worker's dispatcher re-queues everything still pending, duplicates of what
    # is still on the broker included: only the claim stands between them and the phone.
    again = {
        **env,
        "EVAC_SMS_BACKEND": "evac.notifications.sms.FileSmsBackend",
        "EVAC_NOTIFICATION_REQUEUE_SECONDS": "0",
    }
    with worker(tmp_path, again, "second"):
        dispatch(app)
        wait_until(lambda: unsettled() == 0, "all settled", tmp_path, "second")

    assert set(N.objects.values_list("status", flat=True)) == {"sent"}
    counts = lines_per_notification(sms_file)
    assert set(counts) == set(ids)
    assert max(counts.values()) == 1, [i for i, n in counts.items() if n > 1]

"""A booking's request id follows it into the Celery task that sends its confirmation, so
one id finds the booking and its message in the logs."""

import json

import pytest
from django.urls import reverse

from evac.notifications.models import Notification
from tests.factories import make_citizen
from tests.notifications.worker import redis_broker as redis_broker
from tests.notifications.worker import wait_until, worker, worker_environment

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_booking_s_request_id_follows_it_into_the_worker_that_sends_its_confirmation(
    client, tmp_path, sms_file, redis_broker, operation, almaty, flight, alice
):
    person = make_citizen(operation, almaty, phone="+77011234567")
    client.force_login(alice)

    client.post(
        reverse("flights:add_passengers", args=[operation.slug, flight.pk]),
        {"unit": [f"citizen:{person.pk}"]},
        HTTP_X_REQUEST_ID="booking-4711",
    )

    confirmation = Notification.objects.get(kind=Notification.Kind.BOOKING_CONFIRMATION)
    env = worker_environment(tmp_path, sms_file.path, LOG_FORMAT="json")
    with worker(tmp_path, env):
        wait_until(
            lambda: Notification.objects.get(pk=confirmation.pk).status == "sent", "sent", tmp_path
        )
    entries = [
        json.loads(line)
        for line in (tmp_path / "worker" / "worker.log").read_text().splitlines()
        if line.startswith("{")
    ]
    started = [e for e in entries if "send_notification started" in e["message"]]
    assert [e["request_id"] for e in started] == ["booking-4711"]

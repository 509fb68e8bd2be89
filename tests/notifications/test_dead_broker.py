"""With the broker down, booking through the web still saves; the confirmations go out once
the broker is back, each once."""

import pytest
from django.urls import reverse

from evac.celery import app as celery_app
from evac.flights.models import Booking
from evac.notifications.models import Notification
from tests.conftest import REDIS_URL, use_broker
from tests.factories import make_citizen
from tests.notifications.worker import (
    dispatch,
    lines_per_notification,
    wait_until,
    worker,
    worker_environment,
)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
N = Notification
# Nothing listens on port 1: every connection is refused at once.
DEAD_BROKER = "redis://127.0.0.1:1/0"


def _point_at(monkeypatch, url: str) -> None:
    use_broker(monkeypatch, url)


def test_bookings_save_while_the_broker_is_down_and_confirmations_follow_once(
    client, monkeypatch, tmp_path, sms_file, operation, almaty, flight, alice, caplog
):
    people = [
        make_citizen(operation, almaty, phone=f"+7701000{i:04d}", preferred_language="uk")
        for i in range(3)
    ]
    _point_at(monkeypatch, DEAD_BROKER)
    client.force_login(alice)

    response = client.post(
        reverse("flights:add_passengers", args=[operation.slug, flight.pk]),
        {"unit": [f"citizen:{person.pk}" for person in people]},
    )

    assert response.status_code == 302
    assert Booking.objects.filter(flight=flight, is_active=True).count() == 3
    confirmations = N.objects.filter(kind=N.Kind.BOOKING_CONFIRMATION)
    assert confirmations.count() == 3
    # Not on any broker: left for the dispatcher.
    assert set(confirmations.values_list("status", "queued_at")) == {("pending", None)}
    assert "could not queue" in caplog.text

    _point_at(monkeypatch, REDIS_URL)
    with celery_app.connection_for_write() as broker:
        broker.default_channel.queue_purge("celery")
    env = worker_environment(tmp_path, sms_file.path)
    with worker(tmp_path, env):
        dispatch(celery_app)
        wait_until(lambda: not confirmations.exclude(status="sent").exists(), "sent", tmp_path)
        dispatch(celery_app)

    assert lines_per_notification(sms_file) == {n.pk: 1 for n in confirmations}

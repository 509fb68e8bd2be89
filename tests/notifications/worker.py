"""A real Celery worker on Redis for the notification tests, sharing the test database."""

import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from evac.celery import app as celery_app
from evac.core.clock import now
from evac.notifications.models import Notification
from tests.conftest import REDIS_URL, use_broker
from tests.core.test_celery_worker import _celery, _database_url, _environment, _log
from tests.factories import make_citizen

WAIT_SECONDS = 90


def worker_environment(tmp_path: Path, sms_path: Path, **variables: str) -> dict[str, str]:
    settings = {
        "CELERY_BROKER_URL": REDIS_URL,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "EVAC_SMS_BACKEND": "evac.notifications.sms.FileSmsBackend",
        "EVAC_SMS_FILE": str(sms_path),
    }
    return _environment(tmp_path, **{**settings, **variables})


@pytest.fixture
def redis_broker(monkeypatch) -> Celery:
    """This process queues to Redis too, as a web process in production does; empty queue."""
    use_broker(monkeypatch, REDIS_URL)
    with celery_app.connection_for_write() as broker:
        broker.default_channel.queue_purge("celery")
    return celery_app


@contextmanager
def worker(tmp_path: Path, env: dict[str, str], name: str = "worker"):
    (tmp_path / name).mkdir(exist_ok=True)
    with _celery(tmp_path / name, env, "worker", "--pool=prefork", "--concurrency=2") as process:
        yield process


def dispatch(app: Celery) -> None:
    app.send_task("evac.notifications.tasks.dispatch_due")


def wait_until(condition: Callable[[], bool], what: str, tmp_path: Path, name="worker") -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            log = _log(tmp_path / name, "worker") if (tmp_path / name).exists() else ""
            pytest.fail(f"{what}: not within {WAIT_SECONDS}s; worker log:\n{log[-5000:]}")
        time.sleep(0.1)  # polling a condition, with a deadline


def unsettled() -> int:
    return Notification.objects.filter(
        status__in=[Notification.Status.PENDING, Notification.Status.SENDING]
    ).count()


def lines_per_notification(sms_file) -> Counter:
    return Counter(int(line["reference"]) for line in sms_file.read())


def due_broadcasts(operation, almaty, *, label: str, count: int) -> list[int]:
    """`count` SMS broadcasts to one person, due a minute ago, for a worker to send."""
    person = make_citizen(operation, almaty, phone="+77011234567")
    rows = Notification.objects.bulk_create(
        Notification(
            operation=operation,
            citizen=person,
            channel=Notification.Channel.SMS,
            kind=Notification.Kind.BROADCAST,
            language="en",
            body=f"{label} {i}",
            to_address="+77011234567",
            due_at=now() - timedelta(minutes=1),
            idempotency_key=f"{label}:{i}",
        )
        for i in range(count)
    )
    return [row.pk for row in rows]

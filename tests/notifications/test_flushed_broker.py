"""A broker that loses what it held (FLUSHALL, a Redis restart without persistence) costs a
dispatch round, not the EVAC_NOTIFICATION_REQUEUE_SECONDS horizon: the dispatcher notices
and queues again every message it had marked as on the broker."""

import pytest

from evac.celery import app as celery_app
from evac.notifications.models import Notification
from evac.notifications.tasks import dispatch_due
from tests.conftest import use_broker
from tests.core.private_redis import private_redis
from tests.notifications.worker import (
    dispatch,
    due_broadcasts,
    lines_per_notification,
    wait_until,
    worker,
    worker_environment,
)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
N = Notification


@pytest.fixture
def broker(tmp_path, monkeypatch):
    with private_redis(tmp_path) as redis:
        use_broker(monkeypatch, redis.url)
        yield redis


def test_messages_a_flushed_broker_lost_are_queued_again_at_the_next_round(
    broker, tmp_path, sms_file, operation, almaty
):
    ids = due_broadcasts(operation, almaty, label="flush-test", count=20)
    # A dispatch round puts them on the broker, and the broker loses them before any worker
    # takes them.
    assert dispatch_due.apply().get() == len(ids)
    assert not N.objects.filter(pk__in=ids, queued_at=None).exists()
    broker.flush()

    # The default horizon for "queued but lost" is 5 minutes; the test waits far less.
    env = worker_environment(tmp_path, sms_file.path, CELERY_BROKER_URL=broker.url)
    with worker(tmp_path, env):
        dispatch(celery_app)
        wait_until(
            lambda: N.objects.filter(pk__in=ids, status=N.Status.SENT).count() == len(ids),
            "the lost messages sent",
            tmp_path,
        )

    assert lines_per_notification(sms_file) == dict.fromkeys(ids, 1)


def test_a_broker_that_kept_its_messages_gets_no_second_copy(broker, operation, almaty):
    ids = due_broadcasts(operation, almaty, label="flush-test", count=5)
    assert dispatch_due.apply().get() == len(ids)

    # The next round finds them all still on the broker (the horizon has not passed).
    assert dispatch_due.apply().get() == 0

"""A worker whose database connection dies (PostgreSQL restarted, failed over, or killed an
idle session) connects again and goes on sending, however long it reuses connections."""

import pytest
from django.db import OperationalError, connection

from evac.notifications.models import Notification
from evac.notifications.tasks import dispatch_due
from tests.notifications.worker import (
    dispatch,
    due_broadcasts,
    lines_per_notification,
    wait_until,
    worker,
    worker_environment,
)
from tests.notifications.worker import redis_broker as redis_broker

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
N = Notification


def _kill_every_other_connection() -> int:
    """What a PostgreSQL restart does to the worker: its connections are gone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _all_sent(ids: list[int]):
    return lambda: N.objects.filter(pk__in=ids, status=N.Status.SENT).count() == len(ids)


def test_a_worker_reusing_its_connection_sends_again_after_postgresql_dropped_it(
    tmp_path, sms_file, redis_broker, operation, almaty
):
    # The README's production advice: keep a connection for 100 tasks.
    env = worker_environment(tmp_path, sms_file.path, CELERY_DB_REUSE_MAX="100")
    before = due_broadcasts(operation, almaty, label="before", count=5)
    with worker(tmp_path, env):
        dispatch(redis_broker)
        wait_until(_all_sent(before), "sent before the restart", tmp_path)

        assert _kill_every_other_connection() >= 1
        after = due_broadcasts(operation, almaty, label="after", count=5)
        dispatch(redis_broker)
        wait_until(_all_sent(after), "sent after the restart", tmp_path)

    assert lines_per_notification(sms_file) == dict.fromkeys(before + after, 1)


def test_a_task_whose_connection_died_under_it_runs_once_more_on_a_new_one(
    redis_broker, operation, almaty
):
    due = due_broadcasts(operation, almaty, label="due", count=3)
    # This process's own connection dies, as a worker's does between two of its queries.
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    # Run as a worker runs it (not inside a request's transaction).
    result = dispatch_due.apply()

    assert result.successful(), result.traceback
    assert result.get() == len(due)

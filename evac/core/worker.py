"""Celery worker processes that survive their database connection dying, and say they live.

PostgreSQL drops connections when it restarts, fails over, or kills an idle session. A worker
that keeps its connection across tasks (CELERY_DB_REUSE_MAX) would hold on to the dead one
and fail every task with "the connection is closed", the dispatcher's included, until someone
restarted it. Two guards, whatever the reuse setting:

- before each task, a connection that no longer answers is closed, so the task opens a new
  one (one `SELECT 1` per task on a reused connection: cheap beside a lost worker);
- a task that still fails because its connection died under it runs once more on a new one.
  Every Evac task may run twice: sends claim their row, schedules use idempotency keys.
"""

import logging
import time
from contextlib import suppress
from typing import Any

from celery import Task, bootsteps
from django.db import DatabaseError, InterfaceError, OperationalError, connections

from evac.core.broker import quick_broker_options

logger = logging.getLogger(__name__)

CONNECTION_ERRORS = (InterfaceError, OperationalError)


def _dead_connections() -> list:
    """Open connections that no longer answer (outside any transaction, so safe to drop)."""
    return [
        conn
        for conn in connections.all(initialized_only=True)
        if conn.connection is not None and not conn.in_atomic_block and not conn.is_usable()
    ]


def close_dead_connections(**_signal: Any) -> int:
    """Close every connection that no longer answers; Django opens a new one when needed."""
    dead = _dead_connections()
    for conn in dead:
        with suppress(DatabaseError):  # closing a dead socket may complain; it is gone anyway
            conn.close()
    return len(dead)


def close_dead_connections_before_task(sender: Task | None = None, **_signal: Any) -> None:
    # Not for a task run eagerly inside a request or a test: that is not a worker's
    # connection to manage, and may be in the middle of a transaction.
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    if closed := close_dead_connections():
        logger.warning("closed %d dead database connection(s) before a task", closed)


class DatabaseRetryingTask(Task):
    """Runs the task once more if it failed because its database connection died."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except CONNECTION_ERRORS as error:
            if not close_dead_connections():
                raise  # the connection is fine: a real error, not a lost connection
            logger.warning(
                "task %s lost its database connection (%s); running it again", self.name, error
            )
            return super().__call__(*args, **kwargs)


# Heartbeats -------------------------------------------------------------------------------
# Each worker node writes the time into a hash in the broker's Redis every few seconds; the
# metrics endpoint reads it, so a dead or stuck worker shows as a heartbeat that stops.
HEARTBEATS_KEY = "evac:worker-heartbeats"
HEARTBEAT_SECONDS = 15.0


def _broker_redis(app):
    """A Redis client on the broker, or None when the broker is not Redis."""
    connection = app.connection_for_write(transport_options=quick_broker_options())
    if connection.transport.driver_type != "redis":
        connection.release()
        return None, None
    return connection, connection.default_channel.client


def heartbeat(app, hostname: str) -> None:
    try:
        connection, client = _broker_redis(app)
        if client is None:
            return
        with connection:
            client.hset(HEARTBEATS_KEY, hostname, f"{time.time():.3f}")
    except Exception:  # a missed heartbeat is what the alert is for
        logger.warning("could not write the worker heartbeat", exc_info=True)


def worker_heartbeats(app=None) -> dict[str, float]:
    """Each worker node's last heartbeat (Unix time); empty if the broker can't say."""
    from evac.celery import app as default_app

    try:
        connection, client = _broker_redis(app or default_app)
        if client is None:
            return {}
        with connection:
            stored = client.hgetall(HEARTBEATS_KEY)
    except Exception:  # a metrics scrape must answer even then
        logger.warning("could not read the worker heartbeats", exc_info=True)
        return {}
    return {_text(name): float(_text(moment)) for name, moment in stored.items()}


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class Heartbeat(bootsteps.StartStopStep):
    """A worker bootstep: a heartbeat now, then every HEARTBEAT_SECONDS, from the main process."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.timer_ref = None

    def start(self, worker) -> None:
        heartbeat(worker.app, worker.hostname)
        self.timer_ref = worker.timer.call_repeatedly(
            HEARTBEAT_SECONDS, heartbeat, (worker.app, worker.hostname)
        )

    def stop(self, worker) -> None:
        if self.timer_ref is not None:
            self.timer_ref.cancel()

"""Celery worker processes that survive their database connection dying.

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
from contextlib import suppress
from typing import Any

from celery import Task
from django.db import DatabaseError, InterfaceError, OperationalError, connections

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

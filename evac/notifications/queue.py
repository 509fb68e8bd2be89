"""Asking the workers to send: one task per message id, queued by the task's name.

Services call this after they write rows; the task module calls the services. Naming the
task here, instead of importing it, keeps that a one-way street.
"""

import logging
from collections.abc import Sequence
from functools import partial

from django.db import transaction

from evac.celery import app
from evac.core.broker import broker_failed, broker_known_down, quick_broker_options
from evac.core.clock import now
from evac.notifications.models import Notification

logger = logging.getLogger(__name__)

SEND_NOTIFICATION = "evac.notifications.tasks.send_notification"
# A key the dispatcher keeps in the broker's Redis. When it is gone, so is everything the
# broker held (FLUSHALL, a restart without persistence): the sends queued with it included.
BROKER_MARKER_KEY = "evac:broker-marker"


def queue_sends(ids: Sequence[int]) -> int:
    """Put one send per id on the broker, over one connection; returns how many went.

    A broker that is down must not fail the caller (a web request that just booked seats):
    the error is logged, the rows not queued are marked so, and the dispatcher queues them
    once the broker is back.
    """
    done = 0
    if not ids:
        return done
    if broker_known_down():
        Notification.objects.filter(pk__in=list(ids)).update(queued_at=None)
        return done
    try:
        # One short connection that tries once (evac/core/broker.py): a dead or hung broker
        # costs a web request a moment, and the dispatcher is the retry.
        with app.connection_for_write(transport_options=quick_broker_options()) as connection:
            connection.ensure_connection(max_retries=0)
            producer = connection.Producer()
            for notification_id in ids:
                app.send_task(
                    SEND_NOTIFICATION, args=(notification_id,), producer=producer, retry=False
                )
                done += 1
    except Exception:
        broker_failed()
        logger.exception("could not queue %d notification sends; the dispatcher will", len(ids))
        Notification.objects.filter(pk__in=list(ids[done:])).update(queued_at=None)
    return done


def queue_sends_on_commit(ids: Sequence[int]) -> None:
    """Queue sends once the current transaction commits (at once outside one)."""
    ids = list(ids)
    transaction.on_commit(partial(_queue_marked, ids))


def _queue_marked(ids: list[int]) -> None:
    # Runs after the commit, still inside the request that made the rows: whatever goes
    # wrong here is logged, and the rows wait for the dispatcher.
    try:
        Notification.objects.filter(pk__in=ids, queued_at__isnull=True).update(queued_at=now())
        queue_sends(ids)
    except Exception:
        logger.exception("could not queue notification sends %s", ids)


def broker_lost_its_queue() -> bool:
    """Whether the broker lost what it held since the last call (Redis; False otherwise).

    Sets the marker if it is missing, so exactly one caller hears of each loss. The first
    call ever answers True too: that costs one round of duplicate sends, which the claim
    makes harmless. A broker that can't be reached answers False (nothing can be queued
    anyway; the next round asks again).
    """
    try:
        with app.connection_for_write(transport_options=quick_broker_options()) as connection:
            if connection.transport.driver_type != "redis":
                return False
            client = connection.default_channel.client
            return bool(client.set(BROKER_MARKER_KEY, now().isoformat(), nx=True))
    except Exception:
        logger.warning("could not ask the broker whether it lost its queue", exc_info=True)
        return False


def queue_depth() -> int | None:
    """Sends (and other tasks) waiting in the broker's queue; None if the broker can't say."""
    try:
        with app.connection_for_write(transport_options=quick_broker_options()) as connection:
            if connection.transport.driver_type != "redis":
                return None
            return int(connection.default_channel.client.llen(app.conf.task_default_queue))
    except Exception:
        logger.warning("could not read the broker's queue depth", exc_info=True)
        return None

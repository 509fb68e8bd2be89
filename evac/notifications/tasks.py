"""Celery tasks for messages. Each takes ids or nothing, and calls one service.

The broker only ever carries "look at notification 42": the row holds the message, its due
time and its state, so a flushed Redis or a lost task costs a delay, never a message.
"""

import logging
from collections.abc import Sequence
from functools import partial

from celery import shared_task
from django.db import transaction

from evac.notifications import services
from evac.notifications.models import Notification

logger = logging.getLogger(__name__)

# How many due messages one dispatch marks and queues per round.
DISPATCH_BATCH = 2000
# Broker connections for queueing give up at the first failure (see queue_sends).
NO_RECONNECT = {"max_retries": 0, "interval_start": 0, "interval_step": 0, "interval_max": 0}


@shared_task(
    name="evac.notifications.tasks.send_notification",
    # Acknowledged after it ran, and handed back to the broker if its worker process dies,
    # so a killed worker's send is delivered again; the claim makes that safe.
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def send_notification(notification_id: int) -> str:
    # Transient failures are not retried here with a countdown: the service puts the row
    # back to pending with a later due time, and the dispatcher sends it then. A retry held
    # in Redis would be lost with it, or could run twice after its visibility timeout.
    return services.notification_send(notification_id=notification_id)


@shared_task(name="evac.notifications.tasks.dispatch_due", ignore_result=True)
def dispatch_due() -> int:
    """Settle sends left by dead workers, then queue one send per due message."""
    services.recover_stale_sending()
    queued = 0
    while True:
        ids = services.notifications_due_for_dispatch(limit=DISPATCH_BATCH)
        done = queue_sends(ids)
        queued += done
        if done < len(ids) or len(ids) < DISPATCH_BATCH:
            return queued


@shared_task(name="evac.notifications.tasks.schedule_check_ins", ignore_result=True)
def schedule_check_ins() -> int:
    return services.check_ins_schedule()


@shared_task(name="evac.notifications.tasks.schedule_staff_digests", ignore_result=True)
def schedule_staff_digests() -> int:
    return services.staff_digests_schedule()


def queue_sends(ids: Sequence[int]) -> int:
    """Put one send per id on the broker, over one connection; returns how many went.

    A broker that is down must not fail the caller (a web request that just booked seats):
    the error is logged, the rows not queued are marked so, and the dispatcher queues them
    once the broker is back.
    """
    done = 0
    if not ids:
        return done
    app = send_notification.app
    try:
        # One connection that tries once: a dead broker costs a web request milliseconds,
        # not the seconds kombu's default reconnection would, and the dispatcher is the retry.
        with app.connection_for_write(transport_options=NO_RECONNECT) as connection:
            connection.ensure_connection(max_retries=0)
            producer = connection.Producer()
            for notification_id in ids:
                send_notification.apply_async((notification_id,), producer=producer, retry=False)
                done += 1
    except Exception:
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
        Notification.objects.filter(pk__in=ids, queued_at__isnull=True).update(
            queued_at=services.now()
        )
        queue_sends(ids)
    except Exception:
        logger.exception("could not queue notification sends %s", ids)

"""Celery tasks for messages. Each takes ids or nothing, and calls one service.

The broker only ever carries "look at notification 42": the row holds the message, its due
time and its state, so a flushed Redis or a lost task costs a delay, never a message.
"""

import logging

from celery import shared_task

from evac.notifications import delivery, periodic
from evac.notifications.queue import SEND_NOTIFICATION, broker_lost_its_queue, queue_sends

logger = logging.getLogger(__name__)

# How many due messages one dispatch marks and queues per round.
DISPATCH_BATCH = 2000


@shared_task(
    name=SEND_NOTIFICATION,
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
    return delivery.notification_send(notification_id=notification_id)


@shared_task(name="evac.notifications.tasks.dispatch_due", ignore_result=True)
def dispatch_due() -> int:
    """Settle sends left by dead workers, then queue one send per due message.

    If the broker lost its queue since the last round, everything it held is queued again
    now, rather than after EVAC_NOTIFICATION_REQUEUE_SECONDS.
    """
    delivery.recover_stale_sending()
    if broker_lost_its_queue():
        lost = delivery.notifications_requeue_lost()
        logger.warning("the broker lost its queue; queueing %d pending messages again", lost)
    queued = 0
    while True:
        ids = delivery.notifications_due_for_dispatch(limit=DISPATCH_BATCH)
        done = queue_sends(ids)
        queued += done
        if done < len(ids) or len(ids) < DISPATCH_BATCH:
            return queued


@shared_task(name="evac.notifications.tasks.schedule_check_ins", ignore_result=True)
def schedule_check_ins() -> int:
    return periodic.check_ins_schedule()


@shared_task(name="evac.notifications.tasks.schedule_staff_digests", ignore_result=True)
def schedule_staff_digests() -> int:
    return periodic.staff_digests_schedule()

"""Celery tasks for closed operations. Each takes ids or nothing, and calls services.

The schedule is in the database (Operation.anonymise_on), not in the broker: the nightly
task looks for what is due, so a flushed Redis or a missed night only delays the work.
"""

import logging

from celery import shared_task

from evac.cockpit import retention, services
from evac.cockpit.selectors import operations_due_for_anonymisation
from evac.core import clock
from evac.operations.models import Operation

logger = logging.getLogger(__name__)


@shared_task(
    # The name it had before it moved to the cockpit: the beat schedule's row names it
    # (operations migration 0004), and tasks already on a broker keep finding it.
    name="evac.operations.tasks.anonymise_due_operations",
    # Idempotent, so a run cut short by a dying worker is simply run again.
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def anonymise_due_operations() -> int:
    """Anonymise every closed operation whose day has come; returns how many were done."""
    done = 0
    for operation_id in operations_due_for_anonymisation(today=clock.today()):
        operation = Operation.objects.get(pk=operation_id)
        try:
            done += services.operation_anonymise(operation=operation) is not None
        except Exception:
            # One operation's failure must not hold back the others; its anonymised_at
            # stays empty, so the next night tries it again from where it stopped.
            logger.exception("could not anonymise operation %s", operation.slug)
    retention.sessions_clear_expired()
    return done

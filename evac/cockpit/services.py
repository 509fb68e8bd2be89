"""The anonymisation of a closed operation's personal data, on the day its schedule says.

Closing, reopening and moving that day are evac.flights.closing's: the API calls them too,
and it sits below this layer.
"""

import logging

from evac.cockpit import retention
from evac.cockpit.retention import Anonymised
from evac.core import clock
from evac.operations.models import Operation

logger = logging.getLogger(__name__)


def operation_anonymise(*, operation: Operation) -> Anonymised | None:
    """Anonymise a closed operation whose day has come; None if it isn't due (or is done).

    Safe to run again, and beside another run: every step is idempotent, and
    `anonymised_at` is set once, at the end, by whichever run finishes first.
    """
    operation.refresh_from_db()
    if not operation.is_due_for_anonymisation(clock.today()):
        return None
    done = retention.anonymise_personal_data(operation)
    Operation.objects.filter(pk=operation.pk, anonymised_at__isnull=True).update(
        anonymised_at=clock.now()
    )
    operation.refresh_from_db()
    logger.info(
        "anonymised operation %s: %d people, %d history rows deleted, %d messages, %d files",
        operation.slug,
        done.people,
        done.history_rows,
        done.messages,
        done.files,
    )
    return done

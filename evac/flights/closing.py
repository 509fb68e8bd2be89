"""Closing an operation, moving the day its personal data is anonymised, and reopening it.

Here, in flights, rather than with the operations: closing is refused while a flight is
still ahead, and flights is the lowest layer that knows. The closing page (evac/cockpit) and
the API (evac/api) both call these; the anonymisation itself stays in evac/cockpit, the one
layer that knows every app's personal data.

An operation is closed when its work is done; a closed operation is read-only (access.py)
and its personal data is anonymised on a date set at closing, EVAC_RETENTION_DAYS later
unless a coordinator moves it. Until that day the date can move and the operation can be
reopened; on the day itself both are refused (Operation.schedule_can_change). Both are
conditional UPDATEs on that rule, and the task starts only on operations whose day has
come, so a reopening and an anonymisation can never overlap.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evac.core import clock
from evac.core.errors import Conflict, InvalidTransition
from evac.flights.models import FLIGHTS_AHEAD_STATUSES
from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation, schedule_can_change_q
from evac.operations.signals import operation_status_changed


def flights_still_ahead(operation: Operation) -> int:
    """Flights not yet flown or cancelled: while there are any, the operation can't close."""
    return operation.flights.filter(status__in=FLIGHTS_AHEAD_STATUSES).count()


def operation_close(
    *, operation: Operation, by: Actor, retain_days: int | None = None
) -> Operation:
    """Close the operation and schedule the anonymisation of its personal data.

    Refused while a flight is still planned, open or boarding: somebody may hold a seat
    that a read-only operation could no longer cancel or board.
    """
    require_permission(by, operation, Permission.MANAGE_OPERATION)
    days = settings.EVAC_RETENTION_DAYS if retain_days is None else retain_days
    if days < 0:
        raise ValidationError(_("The number of days to keep personal data can't be negative."))
    ahead = flights_still_ahead(operation)
    if ahead:
        raise Conflict(
            ngettext(
                "%(n)d flight is still planned, open or boarding: mark it departed or "
                "cancelled before closing the operation.",
                "%(n)d flights are still planned, open or boarding: mark them departed or "
                "cancelled before closing the operation.",
                ahead,
            )
            % {"n": ahead}
        )
    operation.refresh_from_db()
    today = clock.today()
    # It ended today, unless an end date already said earlier; never before it started.
    ends_on = max(min(operation.ends_on or today, today), operation.starts_on)
    closed = Operation.objects.filter(pk=operation.pk, status=Operation.Status.ACTIVE).update(
        status=Operation.Status.CLOSED,
        closed_at=clock.now(),
        ends_on=ends_on,
        anonymise_on=today + timedelta(days=days),
    )
    if not closed:
        raise InvalidTransition(_("The operation is already closed."))
    # Its portal closes now in this process, in seconds elsewhere.
    operation_status_changed.send(sender=Operation, operation=operation)
    operation.refresh_from_db()
    return operation


def operation_schedule_anonymisation(*, operation: Operation, on: date, by: Actor) -> Operation:
    """Move the day the closed operation's personal data is anonymised (today at the earliest)."""
    require_permission(by, operation, Permission.MANAGE_OPERATION)
    today = clock.today()
    if on < today:
        raise ValidationError({"on": _("The date can't be in the past.")})
    _change_schedule(operation, today, anonymise_on=on)
    return operation


def operation_reopen(*, operation: Operation, by: Actor) -> Operation:
    """Make a closed operation active again, without its schedule and its end date."""
    require_permission(by, operation, Permission.MANAGE_OPERATION)
    _change_schedule(
        operation,
        clock.today(),
        status=Operation.Status.ACTIVE,
        closed_at=None,
        ends_on=None,
        anonymise_on=None,
    )
    return operation


def _change_schedule(operation: Operation, today: date, **changes) -> None:
    changed = Operation.objects.filter(schedule_can_change_q(today), pk=operation.pk).update(
        **changes
    )
    operation_status_changed.send(sender=Operation, operation=operation)
    operation.refresh_from_db()
    if changed:
        return
    if not operation.is_closed:
        raise InvalidTransition(_("The operation is not closed."))
    if operation.is_anonymised:
        raise InvalidTransition(_("Its personal data has already been anonymised."))
    raise InvalidTransition(
        _(
            "The anonymisation is due today and may already be under way, so it can't be "
            "moved or called off any more."
        )
    )

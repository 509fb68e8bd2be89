"""Writes to an operation itself."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation

MAX_ADVICE = 2000


def operation_set_advice(*, operation: Operation, advice: str, by: Actor) -> Operation:
    """The embassy's advice on the public page; coordinators write it."""
    require_permission(by, operation, Permission.PLAN_FLIGHTS)
    advice = advice.strip()
    if len(advice) > MAX_ADVICE:
        raise ValidationError(
            {"advice": _("Keep the advice under %(n)d characters.") % {"n": MAX_ADVICE}}
        )
    operation.advice = advice
    operation.save(update_fields=["advice"])
    return operation

"""What the portal keeps of people, and its erasure when their operation is anonymised:
one-time codes (hashes of codes that expired long ago) are deleted whole."""

from django.db import transaction

from evac.core.anonymise import admin_log_forget_of_operation, batches, declare
from evac.operations.models import Operation
from evac.portal.models import OneTimeCode

# The rows are deleted, so every field goes.
FIELDS = {OneTimeCode: declare(personal={"code_hash", "channel"})}


def one_time_codes_admin_log_forget(operation: Operation) -> None:
    admin_log_forget_of_operation(OneTimeCode, operation.pk, "citizen__operation_id")


def one_time_codes_delete(operation: Operation) -> int:
    """Nothing to count, nothing to keep; returns how many were deleted."""
    deleted = 0
    codes = OneTimeCode.objects.filter(citizen__operation_id=operation.pk)
    for ids in batches(codes):
        with transaction.atomic():
            deleted += OneTimeCode.objects.filter(pk__in=ids).delete()[0]
    return deleted

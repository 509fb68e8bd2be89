"""Reading the access log: an operation's entries, newest first, and who appears in them."""

from django.db.models import QuerySet

from evac.audit.models import AccessLogEntry
from evac.operations.models import Operation

ACCESS_LOG_PAGE_SIZE = 50


def access_log_entries(operation: Operation) -> QuerySet[AccessLogEntry]:
    # The page shows only the row's own columns (the username is copied in), so no joins.
    return AccessLogEntry.objects.filter(operation=operation).order_by("-at", "-pk")


def access_log_usernames(operation: Operation) -> list[str]:
    """Everyone who appears in the operation's log, former staff and deleted accounts too."""
    return list(
        AccessLogEntry.objects.filter(operation=operation)
        .order_by("username")
        .values_list("username", flat=True)
        .distinct()
    )

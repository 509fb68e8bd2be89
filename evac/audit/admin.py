from django.contrib import admin

from evac.audit.models import AccessLogEntry
from evac.core.admin import ReadOnlyAdmin


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    """Read-only: the log is written by Evac alone, and nobody edits or deletes a row."""

    list_display = [
        "at",
        "username",
        "action",
        "object_label",
        "channel",
        "ip_address",
        "operation",
    ]
    list_filter = ["operation", "action", "channel"]
    search_fields = ["username", "object_label"]
    date_hierarchy = "at"

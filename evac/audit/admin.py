from django.contrib import admin

from evac.audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

from django.contrib import admin

from evac.core.admin import ReadOnlyAdmin
from evac.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Read-only: messages are written, re-timed and cancelled only by the services."""

    list_display = ["pk", "kind", "channel", "to_address", "status", "due_at", "sent_at"]
    list_filter = ["status", "channel", "kind", "operation"]
    search_fields = ["to_address", "idempotency_key", "provider_message_id"]
    date_hierarchy = "due_at"
    # A one-time code waiting for the provider: nobody on staff reads it, here neither.
    exclude = ["secret"]

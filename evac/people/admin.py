from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from evac.notifications.addressing import MESSAGE_FIELDS, citizen_reach, notifications_readdress
from evac.people.models import Citizen, ContactLogEntry, Household


class ContactLogInline(admin.TabularInline):
    model = ContactLogEntry
    extra = 0
    readonly_fields = ["at", "channel", "direction", "outcome", "note", "by"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Citizen)
class CitizenAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "reference_code",
        "operation",
        "current_city",
        "status",
        "registered_at",
    ]
    list_filter = ["operation", "status", "current_city", "source"]
    search_fields = [
        "surname",
        "given_names",
        "surname_native",
        "given_names_native",
        "document_number",
        "reference_code",
    ]
    # Status moves only through the services (seats depend on it): read-only here.
    readonly_fields = ["reference_code", "status", "registered_at", "last_contacted_at"]
    raw_id_fields = ["household"]
    inlines = [ContactLogInline]

    def save_model(self, request, obj, form, change) -> None:
        # An edit here (or a revert to an old version) skips citizen_update, but messages
        # still waiting must follow a new phone, e-mail or language all the same.
        with transaction.atomic():
            stored = Citizen.objects.only(*MESSAGE_FIELDS).get(pk=obj.pk) if change else None
            reach = citizen_reach(stored) if stored else None
            super().save_model(request, obj, form, change)
            if change and citizen_reach(obj) != reach:
                notifications_readdress(citizen=obj)


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "operation", "created_at"]
    raw_id_fields = ["head"]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "operation", "created_at"]
    raw_id_fields = ["head"]

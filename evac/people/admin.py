from functools import partial

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evac.people.models import Citizen, ContactLogEntry, Household
from evac.people.services import citizen_saved_in_admin


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
        # An edit here re-addresses the person's waiting messages as citizen_update does.
        citizen_saved_in_admin(
            citizen=obj, save=partial(super().save_model, request, obj, form, change)
        )


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "operation", "created_at"]
    raw_id_fields = ["head"]

from django.contrib import admin

from evac.operations.models import Headquarters, Membership, Operation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Operation)
class OperationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["name"]}
    # Closing, reopening and the anonymisation date go through operations.services (the
    # staff page "Closing and personal data"), which keep the schedule and its rules.
    readonly_fields = ["status", "closed_at", "anonymise_on", "anonymised_at"]
    inlines = [MembershipInline]


@admin.register(Headquarters)
class HeadquartersAdmin(admin.ModelAdmin):
    """Who works at headquarters: granted by an administrator, above every operation."""

    list_display = ["user"]
    autocomplete_fields = ["user"]

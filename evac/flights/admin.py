from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from evac.flights.models import Booking, Flight, GroundTransfer
from evac.notifications.services import FlightPlan, flight_updated


class BookingInline(admin.TabularInline):
    model = Booking
    fields = ["citizen", "status", "is_active", "created_at", "status_changed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Flight)
class FlightAdmin(SimpleHistoryAdmin):
    list_display = [
        "number",
        "operation",
        "departure_airport",
        "arrival_airport",
        "departs_at",
        "status",
        "seats_booked",
        "seats_total",
    ]
    list_filter = ["operation", "status", "kind"]
    # Status changes cancel or settle bookings, so they go through the services only.
    readonly_fields = ["status", "seats_booked"]
    inlines = [BookingInline]

    def save_model(self, request, obj, form, change) -> None:
        # An edit here (or a revert to an old version) skips flight_update, but a new time,
        # report time or airport must re-plan the reminders and reach the passengers all the
        # same.
        with transaction.atomic():
            before = FlightPlan.of(Flight.objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            if before is not None:
                flight_updated(flight=obj, before=before)


@admin.register(Booking)
class BookingAdmin(SimpleHistoryAdmin):
    """Read-only: seats are taken and given back only through the booking services."""

    list_display = ["citizen", "flight", "status", "is_active", "created_at"]
    list_filter = ["status", "flight__operation"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(GroundTransfer)
class GroundTransferAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "operation", "departs_at", "seats_total"]
    filter_horizontal = ["passengers"]

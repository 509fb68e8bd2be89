from functools import partial

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evac.flights.models import Booking, Flight, GroundTransfer
from evac.flights.plans import flight_plan_refusals
from evac.flights.services import FLIGHT_EDITABLE_FIELDS, flight_saved_in_admin


class FlightAdminForm(forms.ModelForm):
    """Shows the plan's refusals (flight_plan_refusals) beside their fields, as staff see them."""

    class Meta:
        model = Flight
        fields = ["operation", *sorted(FLIGHT_EDITABLE_FIELDS)]

    def _post_clean(self) -> None:
        super()._post_clean()
        before = Flight.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        for name, message in flight_plan_refusals(self.instance, before=before).items():
            self.add_error(name if name in self.fields else None, message)


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

    form = FlightAdminForm

    def save_model(self, request, obj, form, change) -> None:
        # An edit here re-plans the flight's messages as flight_update does.
        flight_saved_in_admin(
            flight=obj, save=partial(super().save_model, request, obj, form, change)
        )


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

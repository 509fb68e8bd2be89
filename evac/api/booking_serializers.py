"""What the booking endpoints take: a person or a household to book, a cancellation, a
seat's next status. Each names `unaccompanied_reason` where a coordinator may let a minor
fly without an adult of their household (evac.flights.minors)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from evac.api.fields import StrictCharField, StrictIntegerField
from evac.flights.models import Booking


def unaccompanied_reason_field(help_text: str) -> StrictCharField:
    return StrictCharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text=help_text,
    )


class BookingCreateSerializer(serializers.Serializer):
    citizen = StrictCharField(
        required=False, max_length=20, help_text="Reference code of one person to book."
    )
    household = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Id of a household: its waiting members are booked together, or none.",
    )
    unaccompanied_reason = unaccompanied_reason_field(
        "A coordinator's reason a minor may fly without an adult of their household "
        "(“travels with grandmother”). Needed only then; without it that booking is a 400 "
        "on this field. Written on the minor's seat and shown on the manifest."
    )

    def validate(self, data: dict) -> dict:
        if ("citizen" in data) == ("household" in data):
            raise serializers.ValidationError(_("Give either a citizen or a household."))
        return data


class BookingCancelSerializer(serializers.Serializer):
    unaccompanied_reason = unaccompanied_reason_field(
        "A coordinator's reason the household's minors may stay on the flight without this "
        "adult. Needed only then; without it the cancellation is a 400 on this field. "
        "Written on the minors' seats and shown on the manifest."
    )


class BookingStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in Booking.Status if s != Booking.Status.CANCELLED],
        help_text=str(_("To cancel a seat, use its cancel endpoint.")),
    )

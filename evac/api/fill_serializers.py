"""What filling a flight from the waiting list takes and answers (evac.flights.fill).

The same call previews and books: with `preview` it books nothing and answers whom the fill
would book now and why the units it passes over do not fit; without it, it books them.
"""

from rest_framework import serializers

from evac.api.fields import StrictBooleanField, StrictIntegerField
from evac.api.serializers import BookingSerializer, PassengerSerializer

# A fill can pass over thousands of households that don't fit one seat: the answer names
# the first ones, and counts them all.
SKIPPED_LISTED = 100


class FillSerializer(serializers.Serializer):
    preview = StrictBooleanField(
        required=False,
        default=False,
        help_text="true: book nothing, answer whom the fill would book and why others do not "
        "fit. false (the default): book them.",
    )
    limit = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Give at most this many seats; without it, every free seat.",
    )
    city = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Id of a city: only units with someone waiting there. Without it, the whole "
        "waiting list (people can reach another city's airport).",
    )


class FillUnitSerializer(serializers.Serializer):
    household = serializers.IntegerField(
        source="household_id", allow_null=True, help_text="null for a person alone."
    )
    people = PassengerSerializer(source="members", many=True)


class SkippedUnitSerializer(serializers.Serializer):
    household = serializers.IntegerField(source="unit.household_id", allow_null=True)
    people = PassengerSerializer(source="unit.members", many=True)
    reason = serializers.CharField(help_text="Why this unit does not fit.")


class FillResultSerializer(serializers.Serializer):
    preview = serializers.BooleanField(help_text="true when nothing was booked.")
    seats_left = serializers.IntegerField(help_text="Free seats before the fill.")
    people = serializers.IntegerField(
        source="people_count", help_text="People booked, or in a preview who would be."
    )
    units = FillUnitSerializer(
        many=True,
        help_text="Units booked (in a preview: that would be), in the waiting list's order; "
        "a household travels whole.",
    )
    bookings = BookingSerializer(
        source="booked", many=True, help_text="The seats booked; empty in a preview."
    )
    skipped_count = serializers.IntegerField(help_text="How many units were passed over.")
    skipped = SkippedUnitSerializer(
        many=True, help_text=f"The first {SKIPPED_LISTED} units passed over, with the reason."
    )

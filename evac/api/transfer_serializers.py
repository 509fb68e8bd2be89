"""The API's shapes for ground transfers, their passengers and journeys (a transfer, then a
flight, booked as one). Shapes only: whether a seat may be taken, a status changed or two
legs connect is for evac.flights.transfers and evac.flights.journeys to say."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evac.api.booking_serializers import BookingCreateSerializer, unaccompanied_reason_field
from evac.api.fields import StrictIntegerField, StrictModelSerializer
from evac.api.schema import TRANSFER_SEAT_STATUS_CHANGE_VALUES
from evac.api.serializers import BookingSerializer, PassengerSerializer
from evac.flights.models import GroundTransfer, TransferSeat
from evac.flights.transfers import TRANSFER_EDITABLE_FIELDS

ID_MAX = 2**63 - 1


class TransferSerializer(StrictModelSerializer):
    from_city_name = serializers.CharField(source="from_city.name", read_only=True)
    to_city_name = serializers.CharField(source="to_city.name", read_only=True)
    departs_local = serializers.SerializerMethodField()
    arrives_local = serializers.SerializerMethodField()
    departure_time_zone = serializers.CharField(source="from_city.time_zone", read_only=True)
    arrival_time_zone = serializers.CharField(source="to_city.time_zone", read_only=True)
    # "" when none: the schema then says a link or an empty string.
    meeting_map_url = serializers.URLField(read_only=True, allow_blank=True)

    class Meta:
        model = GroundTransfer
        fields = [
            "id",
            "mode",
            "number",
            "operator",
            "from_city",
            "from_city_name",
            "to_city",
            "to_city_name",
            "departs_at",
            "departs_local",
            "departure_time_zone",
            "arrives_at",
            "arrives_local",
            "arrival_time_zone",
            "meeting_point",
            "meeting_map_url",
            "seats_total",
            "seats_booked",
            "seats_left",
            "status",
            "description",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_departs_local(self, transfer: GroundTransfer) -> str:
        return transfer.departs_local.isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_arrives_local(self, transfer: GroundTransfer) -> str:
        return transfer.arrives_local.isoformat()


class TransferWriteSerializer(StrictModelSerializer):
    """What transfer_create and transfer_update take; times in UTC or with their offset."""

    class Meta:
        model = GroundTransfer
        fields = sorted(TRANSFER_EDITABLE_FIELDS)


class TransferStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=GroundTransfer.Status.choices,
        help_text=str(
            _(
                "scheduled → boarding → departed → arrived, or cancelled (every seat is "
                "freed and each person told)."
            )
        ),
    )


class TransferSeatSerializer(StrictModelSerializer):
    passenger = PassengerSerializer(source="citizen", read_only=True)
    household = serializers.IntegerField(
        source="citizen.household_id", read_only=True, allow_null=True
    )
    flight = serializers.IntegerField(
        source="connects_to.flight_id",
        read_only=True,
        allow_null=True,
        help_text="The flight this leg takes the person to, when booked as a journey.",
    )
    flight_number = serializers.CharField(
        source="connects_to.flight.number", read_only=True, allow_null=True
    )

    class Meta:
        model = TransferSeat
        fields = [
            "id",
            "transfer",
            "passenger",
            "household",
            "status",
            "is_active",
            "lost_because",
            "flight",
            "flight_number",
            "created_at",
            "unaccompanied_reason",
        ]
        read_only_fields = fields


class TransferBookSerializer(BookingCreateSerializer):
    """A person or a household's members still to be moved, onto the transfer."""


class TransferSeatCancelSerializer(serializers.Serializer):
    unaccompanied_reason = unaccompanied_reason_field(
        "A coordinator's reason the household's minors may stay on the transfer without "
        "this adult. Needed only then; without it the cancellation is a 400 on this field."
    )


class TransferSeatStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=TRANSFER_SEAT_STATUS_CHANGE_VALUES,
        help_text=str(
            _("At the bus or train, while the transfer is boarding; to cancel, use cancel.")
        ),
    )


class JourneyBookSerializer(BookingCreateSerializer):
    flight = StrictIntegerField(min_value=1, max_value=ID_MAX, help_text="Id of the flight.")
    transfers = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=ID_MAX),
        min_length=1,
        max_length=5,
        help_text="Ids of the transfers that take the people to the flight's city, one per "
        "leg; they must connect (each arrives where the next leaves, in time).",
    )

    def validate_transfers(self, ids: list[int]) -> list[int]:
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError(_("Name each transfer once."))
        return ids


class JourneySerializer(serializers.Serializer):
    bookings = BookingSerializer(many=True, help_text="The flight seats, one per person.")
    legs = TransferSeatSerializer(many=True, help_text="The transfer seats, leg by leg.")

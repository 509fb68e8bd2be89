"""What the API reads and writes. Writes are validated for shape here and for rules in the
services: a serializer never decides whether a seat may be taken or a status changed."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evac.api.fields import (
    OptionalEmailField,
    StrictChoiceField,
    StrictModelSerializer,
    StrictSlugRelatedField,
)
from evac.audit.models import AccessAction
from evac.flights import exports
from evac.flights.models import Booking, Flight
from evac.flights.services import FLIGHT_EDITABLE_FIELDS
from evac.notifications.models import Notification
from evac.notifications.privacy import may_read_body, shown_address, shown_error
from evac.operations.access import Permission, permissions_in
from evac.operations.models import Operation, Role
from evac.people.models import Citizen, ContactLogEntry, Household
from evac.people.privacy import LIST_FIELDS, mask_document, withheld_fields
from evac.people.services import DECIDED_STATUSES, PERSON_FIELDS, PLACE_FIELDS
from evac.places.models import Airport, City

# Errors ---------------------------------------------------------------------------------


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: invalid, not_found, …")
    message = serializers.CharField(help_text="For people, in the language of the request.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Field name → list of problems (nested for lists of objects).",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


# Operations and places ------------------------------------------------------------------


class OperationSerializer(StrictModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    hotline_email = OptionalEmailField(read_only=True, allow_blank=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    phone_regions = serializers.ListField(child=serializers.CharField(), read_only=True)
    role = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = Operation
        fields = [
            "slug",
            "name",
            "country",
            "status",
            "starts_on",
            "ends_on",
            "hotline_phone",
            "hotline_email",
            "embassy_contact_name",
            "embassy_contact_phone",
            "languages",
            "phone_regions",
            "advice",
            *("closed_at", "anonymise_on", "anonymised_at"),
            "role",
            "permissions",
        ]

    def _role(self, operation: Operation) -> str:
        # `my_role` is annotated by the view; superusers are members of nothing.
        return getattr(operation, "my_role", None) or Role.COORDINATOR

    @extend_schema_field(serializers.ChoiceField(choices=Role.choices))
    def get_role(self, operation: Operation) -> str:
        return self._role(operation)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Permission)))
    def get_permissions(self, operation: Operation) -> list[str]:
        return sorted(p.value for p in permissions_in(operation, self._role(operation)))


class CitySerializer(StrictModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    time_zone = serializers.CharField(read_only=True, help_text="IANA name, e.g. Asia/Almaty")

    class Meta:
        model = City
        fields = [
            "id",
            "name",
            "name_native",
            "name_ru",
            "country",
            "time_zone",
            "latitude",
            "longitude",
            "population",
        ]


class AirportSerializer(StrictModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)

    class Meta:
        model = Airport
        fields = [
            "iata_code",
            "name",
            "city",
            "city_name",
            "status",
            "status_note",
            "is_open",
            "latitude",
            "longitude",
        ]


# People ---------------------------------------------------------------------------------


def reader_permissions(context: dict) -> frozenset[Permission]:
    """What the caller's role allows, from the OperationView in the serializer's context.

    Without one (a serializer made without `context`) the reader is allowed nothing, so a
    forgotten context hides restricted fields rather than showing them.
    """
    view = context.get("view")
    role = getattr(view, "role", None)
    return permissions_in(view.operation, role) if role else frozenset()


class MaskedDocumentField(serializers.CharField):
    def to_representation(self, value) -> str:
        return mask_document(super().to_representation(value))


def log_full_record(context: dict, citizen: Citizen) -> None:
    """Write the access log's row for answering with `citizen`'s full record.

    Called by the serializer itself, so whatever view and method answers with a full
    record (a read, a write that returns it, PATCH {}) has logged it before the body exists.
    A full record serialised outside an operation's view, where nobody could be named in
    the log, is a programming error, not something to show quietly.
    """
    view = context.get("view")
    log_access = getattr(view, "log_access", None)
    if log_access is None:
        raise ImproperlyConfigured(
            "A person's full record is serialised only in an operation's API view, which "
            "writes the access log: pass get_serializer_context()."
        )
    log_access(view.request, citizen, AccessAction.PERSON_VIEWED)


class CitizenSerializer(StrictModelSerializer):
    """One person, whole, except what the caller's role may not see (people.privacy).

    Give it the view's context (`get_serializer_context()`): the role comes from there, and
    serialising a person writes the access log's row (`log_full_record`).
    """

    reference = serializers.CharField(
        read_only=True, help_text="The person's reference code, as printed and read out."
    )
    medical_details = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="What the crew and the escort need to know. null when your role may not "
        "see health details (it lacks the view_medical permission); medical_need, "
        "reduced_mobility and pregnant are shown to every role.",
    )
    current_city_name = serializers.CharField(source="current_city.name", read_only=True)
    email = OptionalEmailField(read_only=True, allow_blank=True)
    document_issuing_country = StrictChoiceField(
        choices=countries, allow_blank=True, read_only=True, help_text="Empty when not known."
    )
    is_vulnerable = serializers.BooleanField(read_only=True)
    needs_claimed = serializers.BooleanField(
        read_only=True,
        help_text="medical_need, reduced_mobility and pregnant as the person stated them on "
        "the portal, not yet confirmed by staff: they don't count for the waiting list yet.",
    )

    class Meta:
        model = Citizen
        fields = [
            "reference",
            *PERSON_FIELDS,
            *PLACE_FIELDS,
            "current_city_name",
            "household",
            "status",
            "source",
            "is_vulnerable",
            "needs_claimed",
            "registered_at",
            "last_contacted_at",
        ]
        read_only_fields = fields

    def to_representation(self, citizen: Citizen) -> dict:
        log_full_record(self.context, citizen)
        data = super().to_representation(citizen)
        for name in withheld_fields(reader_permissions(self.context)) & data.keys():
            data[name] = None
        return data


class CitizenListItemSerializer(StrictModelSerializer):
    """A person as lists show them (people.privacy.LIST_FIELDS): no contacts, address,
    date of birth, health details or notes, and the document number masked. Not logged;
    the person's own endpoint gives the whole record, and logs it."""

    reference = serializers.CharField(read_only=True)
    document_number = MaskedDocumentField(
        read_only=True,
        help_text='Masked to its last 4 characters ("•••••3456"; shorter numbers wholly); '
        '"" when the person has no document. The person\'s own endpoint gives the whole '
        "number, and search (q) compares whole numbers.",
    )
    current_city_name = serializers.CharField(source="current_city.name", read_only=True)
    is_vulnerable = serializers.BooleanField(read_only=True)

    class Meta:
        model = Citizen
        fields = ["reference", *LIST_FIELDS, "current_city_name", "is_vulnerable"]
        read_only_fields = fields


class CitizenWriteSerializer(StrictModelSerializer):
    """The fields citizen_register and citizen_update take (people.services.PERSON_FIELDS)."""

    class Meta:
        model = Citizen
        fields = [*PERSON_FIELDS, *PLACE_FIELDS]


class CitizenCreateSerializer(CitizenWriteSerializer):
    source = serializers.ChoiceField(choices=Citizen.Source.choices, default=Citizen.Source.IMPORT)

    class Meta(CitizenWriteSerializer.Meta):
        fields = [*CitizenWriteSerializer.Meta.fields, "source"]


class CitizenStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in Citizen.Status if s in DECIDED_STATUSES],
        help_text=str(_("“Booked” and “evacuated” follow from the flights.")),
    )


class ContactLogEntrySerializer(StrictModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = ContactLogEntry
        fields = ["id", "channel", "direction", "outcome", "note", "at", "by"]
        read_only_fields = ["id", "by"]
        extra_kwargs = {"at": {"required": False}}


class HouseholdSerializer(StrictModelSerializer):
    head = serializers.CharField(source="head.reference", read_only=True, allow_null=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "head", "members", "created_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_members(self, household: Household) -> list[str]:
        # Prefetched by the view; sorted here so the prefetch is used.
        members = sorted(household.members.all(), key=lambda m: m.pk)
        return [m.reference for m in members]


class HouseholdCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Citizen.Source.choices, default=Citizen.Source.IMPORT)
    members = CitizenWriteSerializer(
        many=True, allow_empty=False, max_length=50, help_text="The first member is the head."
    )


# Flights and bookings -------------------------------------------------------------------


class FlightSerializer(StrictModelSerializer):
    departure_airport = serializers.SlugRelatedField(slug_field="iata_code", read_only=True)
    arrival_airport = serializers.SlugRelatedField(slug_field="iata_code", read_only=True)
    departs_local = serializers.SerializerMethodField()
    arrives_local = serializers.SerializerMethodField()
    report_at = serializers.DateTimeField(
        read_only=True, help_text="Be at the airport by (report_minutes_before departure)."
    )
    departure_time_zone = serializers.CharField(source="departure_airport.zone", read_only=True)
    arrival_time_zone = serializers.CharField(source="arrival_airport.zone", read_only=True)

    class Meta:
        model = Flight
        fields = [
            "id",
            "number",
            "carrier",
            "kind",
            "departure_airport",
            "arrival_airport",
            "departs_at",
            "arrives_at",
            "departs_local",
            "departure_time_zone",
            "arrives_local",
            "arrival_time_zone",
            "report_minutes_before",
            "report_at",
            "seats_total",
            "seats_booked",
            "seats_left",
            "status",
            "notes",
            "offers",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_departs_local(self, flight: Flight) -> str:
        return flight.departs_local.isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_arrives_local(self, flight: Flight) -> str:
        return flight.arrives_local.isoformat()


class FlightWriteSerializer(StrictModelSerializer):
    departure_airport = StrictSlugRelatedField(
        slug_field="iata_code", queryset=Airport.objects.all(), help_text="IATA code"
    )
    arrival_airport = StrictSlugRelatedField(
        slug_field="iata_code", queryset=Airport.objects.all(), help_text="IATA code"
    )

    class Meta:
        model = Flight
        fields = sorted(FLIGHT_EDITABLE_FIELDS)


class FlightStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Flight.Status.choices)


class PassengerSerializer(StrictModelSerializer):
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Citizen
        fields = ["reference", "surname", "given_names", "status"]
        read_only_fields = fields


class BookingSerializer(StrictModelSerializer):
    passenger = PassengerSerializer(source="citizen", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "flight",
            "passenger",
            "status",
            "is_active",
            "created_at",
            "unaccompanied_reason",
        ]
        read_only_fields = fields


def _column_key(column: str) -> str:
    return column.lower().replace(" ", "_")


# The APIS columns of flights.exports, as JSON keys: "Date of birth" → "date_of_birth".
MANIFEST_KEYS = [_column_key(column) for column in exports.COLUMNS]

ManifestRowSerializer = type(
    "ManifestRowSerializer",
    (serializers.Serializer,),
    {key: serializers.CharField(allow_blank=True) for key in MANIFEST_KEYS},
)


class ManifestSerializer(serializers.Serializer):
    flight = FlightSerializer()
    passengers = ManifestRowSerializer(many=True)


# Statistics -----------------------------------------------------------------------------

StatusCountsSerializer = type(
    "StatusCountsSerializer",
    (serializers.Serializer,),
    {status: serializers.IntegerField() for status in Citizen.Status.values},
)


class WaitingCitySerializer(serializers.Serializer):
    city = serializers.IntegerField(source="city_id")
    name = serializers.CharField()
    waiting = serializers.IntegerField()
    vulnerable = serializers.IntegerField()


class FlightSeatsSerializer(StrictModelSerializer):
    class Meta:
        model = Flight
        fields = [
            "id",
            "number",
            "status",
            "departs_at",
            "seats_total",
            "seats_booked",
            "seats_left",
        ]
        read_only_fields = fields


class StatisticsSerializer(serializers.Serializer):
    registered = serializers.IntegerField()
    by_status = StatusCountsSerializer()
    waiting_by_city = WaitingCitySerializer(many=True)
    flights = FlightSeatsSerializer(many=True)


# Messages -------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    citizen = serializers.CharField(source="citizen.reference", read_only=True, allow_null=True)
    staff_user = serializers.CharField(
        source="staff_user.username", read_only=True, allow_null=True
    )
    # null for a role that may not read this kind of message (to_representation).
    subject = serializers.CharField(read_only=True, allow_null=True)
    body = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "channel",
            "language",
            "citizen",
            "staff_user",
            "flight",
            "booking",
            "to_address",
            # null for a role that may not read this kind of message.
            "subject",
            "body",
            "status",
            "due_at",
            "sent_at",
            "attempts",
            "last_error",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, notification: Notification) -> dict:
        """Subject and text only for a role that may read this kind, the address masked
        otherwise (evac/notifications/privacy.py); a one-time code is masked for everybody."""
        data = super().to_representation(notification)
        view = self.context.get("view")
        permissions = getattr(view, "permissions", frozenset())
        if not may_read_body(notification.kind, permissions):
            data["subject"] = data["body"] = None
        data["to_address"] = shown_address(notification, permissions)
        data["last_error"] = shown_error(notification, permissions)
        return data


# Tokens ---------------------------------------------------------------------------------

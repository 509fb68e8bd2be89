from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import booking_serializers as bs
from evac.api import serializers as s
from evac.api.filters import FlightApiFilter, OperationFilterBackend
from evac.api.views.base import FileView, OperationView, valid_data
from evac.audit.models import AccessAction
from evac.core.responses import file_response
from evac.flights import exports, manifest_files
from evac.flights.models import Booking, Flight, ManifestExport
from evac.flights.selectors import manifest, manifest_on_board, operation_flights
from evac.flights.services import (
    booking_cancel,
    booking_create,
    booking_set_status,
    flight_create,
    flight_set_status,
    flight_update,
    household_book,
)
from evac.operations.access import Permission
from evac.people.selectors import citizen_for_page


class FlightView(OperationView):
    def get_flight(self, pk: int) -> Flight:
        flight = operation_flights(self.operation).filter(pk=pk).first()
        if flight is None:
            raise NotFound(_("No such flight in this operation."))
        return flight

    def get_booking(self, flight: Flight, booking_pk: int) -> Booking:
        booking = flight.bookings.select_related("citizen").filter(pk=booking_pk).first()
        if booking is None:
            raise NotFound(_("No such seat on this flight."))
        return booking


@extend_schema(tags=["flights"])
class FlightList(FlightView):
    write_permission = Permission.PLAN_FLIGHTS
    serializer_class = s.FlightSerializer
    filter_backends = [OperationFilterBackend]
    filterset_class = FlightApiFilter
    ordering = ("departs_at", "pk")

    def get_queryset(self) -> QuerySet[Flight]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Flight.objects.none()
        return operation_flights(self.operation)

    @extend_schema(responses=s.FlightSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """Flights, earliest departure first."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.FlightWriteSerializer, responses={201: s.FlightSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Plan a flight. It starts as planned; open it for booking with its status endpoint."""
        data = valid_data(s.FlightWriteSerializer, request.data)
        flight = flight_create(operation=self.operation, by=request.user, **data)
        flight = self.get_flight(flight.pk)
        return Response(s.FlightSerializer(flight).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["flights"])
class FlightDetail(FlightView):
    write_permission = Permission.PLAN_FLIGHTS
    serializer_class = s.FlightSerializer

    def get(self, request: Request, op: str, pk: int) -> Response:
        return Response(s.FlightSerializer(self.get_flight(pk)).data)

    @extend_schema(request=s.FlightWriteSerializer(partial=True))
    def patch(self, request: Request, op: str, pk: int) -> Response:
        """Change a flight; seats can't drop below those already booked."""
        flight = self.get_flight(pk)
        changes = valid_data(s.FlightWriteSerializer, request.data, partial=True)
        flight = flight_update(flight=flight, by=request.user, **changes)
        return Response(s.FlightSerializer(self.get_flight(flight.pk)).data)


@extend_schema(tags=["flights"])
class FlightStatus(FlightView):
    write_permission = Permission.PLAN_FLIGHTS
    serializer_class = s.FlightStatusSerializer

    @extend_schema(responses={200: s.FlightSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Move a flight on: planned → open → boarding → departed → landed, or cancelled.

        Cancelling puts every passenger back on the waiting list; departing marks those
        boarded evacuated and the rest no-shows. 409 when the rules don't allow the change.
        """
        flight = self.get_flight(pk)
        data = valid_data(s.FlightStatusSerializer, request.data)
        flight = flight_set_status(flight=flight, status=data["status"], by=request.user)
        return Response(s.FlightSerializer(self.get_flight(flight.pk)).data)


@extend_schema(tags=["bookings"])
class BookingList(FlightView):
    write_permission = Permission.MANAGE_BOOKINGS
    serializer_class = s.BookingSerializer
    pagination_class = None  # a manifest is as long as the flight has seats

    @extend_schema(responses=s.BookingSerializer(many=True))
    def get(self, request: Request, op: str, pk: int) -> Response:
        """The manifest: every seat, cancelled ones last, passengers in alphabetical order."""
        flight = self.get_flight(pk)
        self.log_access(request, flight, AccessAction.MANIFEST_VIEWED)
        bookings = manifest(flight)
        return Response(s.BookingSerializer(bookings, many=True).data)

    @extend_schema(
        request=bs.BookingCreateSerializer, responses={201: s.BookingSerializer(many=True)}
    )
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Book one person, or a household's waiting members together (all or none).

        409 when the flight is not open, has too few seats left, or someone already holds
        a seat; 400 on `unaccompanied_reason` when a minor would fly without an adult of
        their household and no reason was given.
        """
        flight = self.get_flight(pk)
        data = valid_data(bs.BookingCreateSerializer, request.data)
        reason = data.get("unaccompanied_reason", "")
        if "citizen" in data:
            citizen = citizen_for_page(self.operation, data["citizen"])
            if citizen is None:
                raise ValidationError({"citizen": [_("No such person in this operation.")]})
            bookings = [
                booking_create(
                    flight=flight, citizen=citizen, by=request.user, unaccompanied_reason=reason
                )
            ]
        else:
            household = self.operation.households.filter(pk=data["household"]).first()
            if household is None:
                raise ValidationError({"household": [_("No such household in this operation.")]})
            bookings = household_book(
                flight=flight, household=household, by=request.user, unaccompanied_reason=reason
            )
        return Response(
            s.BookingSerializer(bookings, many=True).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["bookings"])
class BookingDetail(FlightView):
    serializer_class = s.BookingSerializer

    def get(self, request: Request, op: str, pk: int, booking_pk: int) -> Response:
        booking = self.get_booking(self.get_flight(pk), booking_pk)
        return Response(s.BookingSerializer(booking).data)


@extend_schema(tags=["bookings"])
class BookingCancel(FlightView):
    write_permission = Permission.MANAGE_BOOKINGS
    serializer_class = s.BookingSerializer

    @extend_schema(request=bs.BookingCancelSerializer, responses={200: s.BookingSerializer})
    def post(self, request: Request, op: str, pk: int, booking_pk: int) -> Response:
        """Free the seat; the person is back on the waiting list.

        400 on `unaccompanied_reason` when it would leave a minor of the household on the
        flight without an adult and no reason was given. The body may be left out.
        """
        booking = self.get_booking(self.get_flight(pk), booking_pk)
        data = valid_data(bs.BookingCancelSerializer, request.data)
        booking = booking_cancel(
            booking=booking,
            by=request.user,
            unaccompanied_reason=data.get("unaccompanied_reason", ""),
        )
        return Response(s.BookingSerializer(booking).data)


@extend_schema(tags=["bookings"])
class BookingStatus(FlightView):
    write_permission = Permission.HANDLE_PASSENGERS
    serializer_class = bs.BookingStatusSerializer

    @extend_schema(responses={200: s.BookingSerializer})
    def post(self, request: Request, op: str, pk: int, booking_pk: int) -> Response:
        """Confirm, check in, or at the gate (while boarding) mark boarded or no-show."""
        booking = self.get_booking(self.get_flight(pk), booking_pk)
        data = valid_data(bs.BookingStatusSerializer, request.data)
        booking = booking_set_status(booking=booking, status=data["status"], by=request.user)
        return Response(s.BookingSerializer(booking).data)


@extend_schema(tags=["bookings"])
class Manifest(FlightView):
    serializer_class = s.ManifestSerializer

    def get(self, request: Request, op: str, pk: int) -> Response:
        """The manifest for a carrier or border control, with the APIS fields, as JSON.

        The same rows and columns as the CSV (flights.exports); seats not cancelled only.
        Document numbers are whole for officers and coordinators, masked for a viewer.
        """
        flight = self.get_flight(pk)
        self.log_access(request, flight, AccessAction.MANIFEST_EXPORTED_JSON)
        rows = exports.apis_rows(flight, manifest_on_board(flight))
        if Permission.EXPORT_DOCUMENTS not in self.permissions:
            rows = (exports.masked(row) for row in rows)
        passengers = [dict(zip(s.MANIFEST_KEYS, row, strict=True)) for row in rows]
        return Response(s.ManifestSerializer({"flight": flight, "passengers": passengers}).data)


class ManifestFileView(FileView, FlightView):
    """A manifest file, for the roles that take whole travel documents."""

    read_permission = Permission.EXPORT_DOCUMENTS

    def file(self, request: Request, pk: int, fmt: str) -> HttpResponse:
        flight = self.get_flight(pk)
        self.log_access(request, flight, manifest_files.ACCESS_ACTIONS[fmt])
        file = manifest_files.manifest_file_export(flight=flight, format=fmt, by=request.user)
        return file_response(
            content=file.content, content_type=file.content_type, filename=file.filename
        )


@extend_schema(tags=["bookings"])
class ManifestCsv(ManifestFileView):
    @extend_schema(
        operation_id="operations_flights_manifest_csv",
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="CSV with a header row: " + ", ".join(exports.COLUMNS)
            )
        },
    )
    def get(self, request: Request, op: str, pk: int) -> HttpResponse:
        """The manifest as the CSV file the staff pages export; each download is recorded.

        Whole document numbers: officers and coordinators only (a viewer gets 403 and reads
        the JSON manifest, masked).
        """
        return self.file(request, pk, ManifestExport.Format.CSV)


@extend_schema(tags=["bookings"])
class ManifestPaxlst(ManifestFileView):
    @extend_schema(
        operation_id="operations_flights_manifest_paxlst",
        responses={
            (200, "application/edifact"): OpenApiResponse(
                OpenApiTypes.STR,
                description=(
                    "One UN/EDIFACT interchange (UNOA, syntax 4) holding one PAXLST message, "
                    "directory D05B, as the WCO/IATA/ICAO API guidelines lay it out: "
                    "BGM 745, the embassy as reporting party (NAD+MS), the flight (TDT+20, "
                    "LOC+125/87, DTM+189/232, local times), one NAD+FL group per passenger "
                    "(ATT+2 sex, DTM+329 birth, FTX special-service codes, NAT+2, RFF+AVF, "
                    "DOC, DTM+36 expiry, LOC+91 issuing country) and CNT+42. Before "
                    "departure it lists every seat not cancelled; once the flight has "
                    "departed, only boarded passengers (BGM+745+CLOB)."
                ),
            )
        },
    )
    def get(self, request: Request, op: str, pk: int) -> HttpResponse:
        """The manifest as a PAXLST message for a carrier or border system; each download is
        recorded. Officers and coordinators only."""
        return self.file(request, pk, ManifestExport.Format.PAXLST)


@extend_schema(tags=["bookings"])
class ManifestXlsx(ManifestFileView):
    @extend_schema(
        operation_id="operations_flights_manifest_xlsx",
        responses={
            (200, manifest_files.CONTENT_TYPES["xlsx"]): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="An Excel workbook: the flight's facts above one row per "
                "passenger, with the CSV's columns: " + ", ".join(exports.COLUMNS),
            )
        },
    )
    def get(self, request: Request, op: str, pk: int) -> HttpResponse:
        """The manifest as the XLSX file the staff pages export; each download is recorded.
        Officers and coordinators only, as the CSV."""
        return self.file(request, pk, ManifestExport.Format.XLSX)

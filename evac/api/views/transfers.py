"""Ground transfers and journeys through the API: planning a train or bus, its status, its
passengers (the transfer's manifest, also as the staff page's CSV and XLSX files), putting
people on it, checking them on at the bus or train, and booking a person or
household on a journey (transfer legs, then a flight).

Every write is one call to evac.flights.transfers or evac.flights.journeys, which check the
permission again and hold every rule (seats, households, minors, connections); their
refusals reach the client through evac.api.errors: 409 for a state that says no, 400 with
the field for input that is wrong.
"""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import transfer_serializers as t
from evac.api.views.base import FileView, OperationView, valid_data
from evac.audit.models import AccessAction
from evac.core.responses import file_response
from evac.flights import exports, manifest_files, transfer_files
from evac.flights.journeys import journey_book
from evac.flights.models import GroundTransfer, TransferSeat
from evac.flights.selectors import operation_flights
from evac.flights.transfer_selectors import operation_transfers, transfer_manifest
from evac.flights.transfers import (
    transfer_book,
    transfer_create,
    transfer_seat_cancel,
    transfer_seat_set_status,
    transfer_set_status,
    transfer_update,
)
from evac.operations.access import Permission
from evac.people.models import Citizen, Household
from evac.people.selectors import citizen_for_page


class TransferView(OperationView):
    def get_transfer(self, pk: int) -> GroundTransfer:
        transfer = operation_transfers(self.operation).filter(pk=pk).first()
        if transfer is None:
            raise NotFound(_("No such transfer in this operation."))
        return transfer

    def get_seat(self, transfer: GroundTransfer, seat_pk: int) -> TransferSeat:
        seat = (
            transfer.seats.select_related("transfer", "citizen", "connects_to__flight")
            .filter(pk=seat_pk)
            .first()
        )
        if seat is None:
            raise NotFound(_("No such seat on this transfer."))
        return seat

    def get_traveller(self, data: dict) -> tuple[Citizen | None, Household | None]:
        """The person or household a booking body names, in this operation; else a 400."""
        if "citizen" in data:
            citizen = citizen_for_page(self.operation, data["citizen"])
            if citizen is None:
                raise ValidationError({"citizen": [_("No such person in this operation.")]})
            return citizen, None
        household = self.operation.households.filter(pk=data["household"]).first()
        if household is None:
            raise ValidationError({"household": [_("No such household in this operation.")]})
        return None, household


@extend_schema(tags=["transfers"])
class TransferList(TransferView):
    write_permission = Permission.PLAN_FLIGHTS
    serializer_class = t.TransferSerializer
    ordering = ("departs_at", "pk")

    def get_queryset(self) -> QuerySet[GroundTransfer]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return GroundTransfer.objects.none()
        return operation_transfers(self.operation)

    @extend_schema(responses=t.TransferSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """Trains, buses and convoys, earliest departure first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=t.TransferWriteSerializer, responses={201: t.TransferSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Plan a transfer. It starts as scheduled and takes people at once."""
        data = valid_data(t.TransferWriteSerializer, request.data)
        transfer = transfer_create(operation=self.operation, by=request.user, **data)
        transfer = self.get_transfer(transfer.pk)
        return Response(t.TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["transfers"])
class TransferDetail(TransferView):
    write_permission = Permission.PLAN_FLIGHTS
    serializer_class = t.TransferSerializer

    def get(self, request: Request, op: str, pk: int) -> Response:
        return Response(t.TransferSerializer(self.get_transfer(pk)).data)

    @extend_schema(request=t.TransferWriteSerializer(partial=True))
    def patch(self, request: Request, op: str, pk: int) -> Response:
        """Change a transfer before it leaves; seats can't drop below those taken."""
        transfer = self.get_transfer(pk)
        changes = valid_data(t.TransferWriteSerializer, request.data, partial=True)
        transfer = transfer_update(transfer=transfer, by=request.user, **changes)
        return Response(t.TransferSerializer(self.get_transfer(transfer.pk)).data)


@extend_schema(tags=["transfers"])
class TransferStatus(TransferView):
    write_permission = Permission.PLAN_FLIGHTS
    serializer_class = t.TransferStatusSerializer

    @extend_schema(responses={200: t.TransferSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Move a transfer on: scheduled → boarding → departed → arrived, or cancelled.

        Cancelling frees every seat and tells each person (a journey's flight seat stays:
        they are listed as stranded between legs); departing marks everyone not boarded a
        no-show. 409 when the rules don't allow the change.
        """
        transfer = self.get_transfer(pk)
        data = valid_data(t.TransferStatusSerializer, request.data)
        transfer = transfer_set_status(transfer=transfer, status=data["status"], by=request.user)
        return Response(t.TransferSerializer(self.get_transfer(transfer.pk)).data)


@extend_schema(tags=["transfers"])
class TransferPassengers(TransferView):
    write_permission = Permission.MANAGE_BOOKINGS
    serializer_class = t.TransferSeatSerializer
    pagination_class = None  # a manifest is as long as the transfer has seats

    @extend_schema(responses=t.TransferSeatSerializer(many=True))
    def get(self, request: Request, op: str, pk: int) -> Response:
        """The transfer's manifest: every seat, cancelled ones last, in alphabetical order,
        with the flight each leg leads to."""
        transfer = self.get_transfer(pk)
        self.log_access(request, transfer, AccessAction.MANIFEST_VIEWED)
        return Response(t.TransferSeatSerializer(transfer_manifest(transfer), many=True).data)

    @extend_schema(
        request=t.TransferBookSerializer, responses={201: t.TransferSeatSerializer(many=True)}
    )
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Put one person, or a household's members still to be moved (all or none), on the
        transfer, without a flight seat (for that, book a journey).

        409 when the transfer is full or not scheduled, someone is not where it leaves from
        or holds a seat already; 400 on `unaccompanied_reason` when a minor would travel
        without an adult of their household and no reason was given.
        """
        transfer = self.get_transfer(pk)
        data = valid_data(t.TransferBookSerializer, request.data)
        citizen, household = self.get_traveller(data)
        seats = transfer_book(
            transfer=transfer,
            citizen=citizen,
            household=household,
            by=request.user,
            unaccompanied_reason=data.get("unaccompanied_reason", ""),
        )
        seats = [self.get_seat(transfer, seat.pk) for seat in seats]
        return Response(
            t.TransferSeatSerializer(seats, many=True).data, status=status.HTTP_201_CREATED
        )


class TransferManifestFileView(FileView, TransferView):
    """The transfer's manifest as the staff page's files (flights.transfer_files), for the
    roles that export a flight's manifest."""

    read_permission = Permission.EXPORT_DOCUMENTS

    def file(self, request: Request, pk: int, fmt: str) -> HttpResponse:
        transfer = self.get_transfer(pk)
        self.log_access(request, transfer, manifest_files.ACCESS_ACTIONS[fmt])
        file = transfer_files.transfer_manifest_file(transfer=transfer, format=fmt, by=request.user)
        return file_response(
            content=file.content, content_type=file.content_type, filename=file.filename
        )


@extend_schema(tags=["transfers"])
class TransferManifestCsv(TransferManifestFileView):
    @extend_schema(
        operation_id="operations_transfers_manifest_csv",
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="CSV with a header row: " + ", ".join(transfer_files.COLUMNS),
            )
        },
    )
    def get(self, request: Request, op: str, pk: int) -> HttpResponse:
        """The transfer's manifest as the CSV file the staff page exports for the conductor or
        bus operator (seats not cancelled, no travel documents); each download is recorded.
        Officers and coordinators only, as a flight's manifest files."""
        return self.file(request, pk, "csv")


@extend_schema(tags=["transfers"])
class TransferManifestXlsx(TransferManifestFileView):
    @extend_schema(
        operation_id="operations_transfers_manifest_xlsx",
        responses={
            (200, exports.CONTENT_TYPES["xlsx"]): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="An Excel workbook: the transfer's facts above one row per "
                "passenger, with the CSV's columns: " + ", ".join(transfer_files.COLUMNS),
            )
        },
    )
    def get(self, request: Request, op: str, pk: int) -> HttpResponse:
        """The transfer's manifest as the XLSX file the staff page exports; each download is
        recorded. Officers and coordinators only, as the CSV."""
        return self.file(request, pk, "xlsx")


@extend_schema(tags=["transfers"])
class TransferSeatCancel(TransferView):
    write_permission = Permission.MANAGE_BOOKINGS
    serializer_class = t.TransferSeatSerializer

    @extend_schema(
        request=t.TransferSeatCancelSerializer, responses={200: t.TransferSeatSerializer}
    )
    def post(self, request: Request, op: str, pk: int, seat_pk: int) -> Response:
        """Free a seat on the transfer; a journey's flight seat stays. The body may be left
        out."""
        seat = self.get_seat(self.get_transfer(pk), seat_pk)
        data = valid_data(t.TransferSeatCancelSerializer, request.data)
        seat = transfer_seat_cancel(
            seat=seat, by=request.user, unaccompanied_reason=data.get("unaccompanied_reason", "")
        )
        return Response(t.TransferSeatSerializer(self.get_seat(seat.transfer, seat.pk)).data)


@extend_schema(tags=["transfers"])
class TransferSeatStatus(TransferView):
    write_permission = Permission.HANDLE_PASSENGERS
    serializer_class = t.TransferSeatStatusSerializer

    @extend_schema(responses={200: t.TransferSeatSerializer})
    def post(self, request: Request, op: str, pk: int, seat_pk: int) -> Response:
        """Check a person onto the bus or train (boarded), or mark them a no-show: only while
        the transfer is boarding (409 otherwise)."""
        seat = self.get_seat(self.get_transfer(pk), seat_pk)
        data = valid_data(t.TransferSeatStatusSerializer, request.data)
        seat = transfer_seat_set_status(seat=seat, status=data["status"], by=request.user)
        return Response(t.TransferSeatSerializer(self.get_seat(seat.transfer, seat.pk)).data)


@extend_schema(tags=["transfers"])
class JourneyBook(TransferView):
    write_permission = Permission.MANAGE_BOOKINGS
    serializer_class = t.JourneyBookSerializer

    @extend_schema(request=t.JourneyBookSerializer, responses={201: t.JourneySerializer})
    def post(self, request: Request, op: str) -> Response:
        """Book a person, or a household's waiting members, on a journey: a seat on each
        transfer and on the flight, in one transaction or none.

        409 when a leg is full or closed, or the legs don't connect (each must arrive where
        the next leaves, with the operation's margin before the next departure or the
        flight's report time); 400 on `unaccompanied_reason` as for a booking.
        """
        data = valid_data(t.JourneyBookSerializer, request.data)
        flight = operation_flights(self.operation).filter(pk=data["flight"]).first()
        if flight is None:
            raise ValidationError({"flight": [_("No such flight in this operation.")]})
        transfers = list(operation_transfers(self.operation).filter(pk__in=data["transfers"]))
        if len(transfers) != len(data["transfers"]):
            raise ValidationError({"transfers": [_("No such transfer in this operation.")]})
        citizen, household = self.get_traveller(data)
        journey = journey_book(
            flight=flight,
            transfers=transfers,
            citizen=citizen,
            household=household,
            by=request.user,
            unaccompanied_reason=data.get("unaccompanied_reason", ""),
        )
        legs = [self.get_seat(seat.transfer, seat.pk) for seat in journey.legs]
        body = {"bookings": journey.bookings, "legs": legs}
        return Response(t.JourneySerializer(body).data, status=status.HTTP_201_CREATED)

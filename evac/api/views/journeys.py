"""Journeys through the API, as on the staff pages: who is stranded between legs (and whose
legs no longer connect), a new leg for someone stranded, and booking a waiting person or
household on a flight from wherever they wait (the add-passengers page's journey button).

Each write is one call to evac.flights.journeys, which checks the permission again and holds
every rule (seats, connections, households); its refusals reach the client through
evac.api.errors: 409 for a leg full, closed or not connecting, 400 for input that is wrong.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import transfer_serializers as t
from evac.api.booking_serializers import BookingCreateSerializer
from evac.api.fields import StrictIntegerField
from evac.api.serializers import BookingSerializer
from evac.api.views.base import valid_data
from evac.api.views.flights import FlightView
from evac.api.views.transfers import TransferView
from evac.flights.journeys import (
    journey_book_from_where_they_are,
    journey_leg_add,
    journeys_not_connecting,
    stranded_between_legs,
)
from evac.flights.transfer_selectors import operation_transfers
from evac.operations.access import Permission


class StrandedSerializer(serializers.Serializer):
    booking = BookingSerializer(help_text="The flight seat that still stands.")
    lost_leg = t.TransferSeatSerializer(help_text="The transfer seat that was lost.")
    missed = serializers.BooleanField(
        help_text="true: the transfer left without them (a no-show); false: it was cancelled."
    )


class NotConnectingSerializer(serializers.Serializer):
    booking = BookingSerializer(help_text="The flight seat the legs should reach.")
    legs = t.TransferSeatSerializer(many=True, help_text="Their transfer seats, leg by leg.")
    refusal = serializers.CharField(help_text="Why the legs no longer connect.")


class LegAddSerializer(serializers.Serializer):
    transfer = StrictIntegerField(
        min_value=1,
        max_value=t.ID_MAX,
        help_text="Id of a scheduled transfer that reaches the flight's city in time.",
    )


class JourneyFromHereSerializer(BookingCreateSerializer):
    """A waiting person or household, booked from the city where they wait."""

    unaccompanied_reason = None  # a journey from where they are books households whole


@extend_schema(tags=["transfers"])
class StrandedList(TransferView):
    serializer_class = StrandedSerializer
    pagination_class = None  # as on the transfers page: the people to help now

    @extend_schema(responses=StrandedSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """People whose flight seat stands but whose transfer to it was cancelled or left
        without them, and who have no other leg from the same city yet: give them another
        transfer (…/bookings/{booking_pk}/legs/) or cancel their flight seat."""
        stranded = stranded_between_legs(self.operation)
        return Response(StrandedSerializer(stranded, many=True).data)


@extend_schema(tags=["transfers"])
class NotConnectingList(TransferView):
    serializer_class = NotConnectingSerializer
    pagination_class = None

    @extend_schema(responses=NotConnectingSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """Journeys ahead whose legs a change has pulled apart (a train now arriving too
        late, a flight moved to another city), the soonest flight first, with why."""
        broken = journeys_not_connecting(self.operation)
        return Response(NotConnectingSerializer(broken, many=True).data)


@extend_schema(tags=["transfers"])
class BookingLegAdd(FlightView):
    write_permission = Permission.MANAGE_BOOKINGS
    serializer_class = LegAddSerializer

    @extend_schema(responses={201: t.TransferSeatSerializer})
    def post(self, request: Request, op: str, pk: int, booking_pk: int) -> Response:
        """Another way to a flight seat already held: a stranded person's new train or bus,
        with the same connection rule as a journey. 409 when the seat is no longer active,
        the transfer is full or not scheduled, or it doesn't reach the flight in time."""
        booking = self.get_booking(self.get_flight(pk), booking_pk)
        data = valid_data(LegAddSerializer, request.data)
        transfer = operation_transfers(self.operation).filter(pk=data["transfer"]).first()
        if transfer is None:
            raise ValidationError({"transfer": [_("No such transfer in this operation.")]})
        seat = journey_leg_add(booking=booking, transfer=transfer, by=request.user)
        seat = transfer.seats.select_related("citizen", "connects_to__flight").get(pk=seat.pk)
        return Response(t.TransferSeatSerializer(seat).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["bookings"])
class JourneyFromHere(FlightView, TransferView):  # a flight, and a traveller as a transfer
    write_permission = Permission.MANAGE_BOOKINGS
    serializer_class = JourneyFromHereSerializer

    @extend_schema(responses={201: t.JourneySerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Book a waiting person, or a household's waiting members, on the flight from
        wherever they wait: straight onto it in the flight's own city, else with the first
        connecting transfer that has room for all of them. 409 with why when none fits."""
        flight = self.get_flight(pk)
        data = valid_data(JourneyFromHereSerializer, request.data)
        citizen, household = self.get_traveller(data)
        journey = journey_book_from_where_they_are(
            flight=flight, citizen=citizen, household=household, by=request.user
        )
        legs = [
            seat.transfer.seats.select_related("citizen", "connects_to__flight").get(pk=seat.pk)
            for seat in journey.legs
        ]
        body = {"bookings": journey.bookings, "legs": legs}
        return Response(t.JourneySerializer(body).data, status=status.HTTP_201_CREATED)

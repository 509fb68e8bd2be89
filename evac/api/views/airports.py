"""An operation's airports, suspending or reopening one, and moving the flights planned from
a suspended airport to an open one (the staff Airports page)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import serializers as s
from evac.api.fields import StrictCharField
from evac.api.views.base import OperationView, valid_data
from evac.api.views.flights import FlightView
from evac.flights.moves import flight_move_departure, flights_from_suspended_airports
from evac.operations.access import Permission
from evac.operations.services import airport_set_status, operation_airports
from evac.places.models import Airport


class AirportStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Airport.Status.choices)
    note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why, and until when if known; required to suspend. Shown on the public page.",
    )


@extend_schema(tags=["places"])
class OperationAirportList(OperationView):
    """The airports in the operation's country, open or suspended, with the note."""

    serializer_class = s.AirportSerializer
    pagination_class = None  # a country has a handful

    @extend_schema(responses=s.AirportSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        airports = operation_airports(self.operation)
        return Response(self.get_serializer(airports, many=True).data)


@extend_schema(tags=["places"])
class AirportStatus(OperationView):
    write_permission = Permission.MANAGE_AIRPORTS
    serializer_class = AirportStatusSerializer

    @extend_schema(responses={200: s.AirportSerializer})
    def post(self, request: Request, op: str, iata: str) -> Response:
        """Suspend an airport (a note saying why is required) or reopen it.

        No flight can be opened from a suspended airport, and the people waiting in a city
        whose airports are all suspended are shown as needing a transfer. 400 for a missing
        note or an airport outside the operation's country.
        """
        airport = get_object_or_404(operation_airports(self.operation), iata_code=iata)
        data = valid_data(AirportStatusSerializer, request.data)
        airport = airport_set_status(
            operation=self.operation,
            airport=airport,
            status=data["status"],
            note=data["note"],
            by=request.user,
        )
        return Response(s.AirportSerializer(airport).data)


class FlightMoveSerializer(serializers.Serializer):
    departure_airport = StrictCharField(
        max_length=3, help_text="IATA code of an open airport of the operation's country."
    )


@extend_schema(tags=["flights"])
class SuspendedAirportFlights(OperationView):
    serializer_class = s.FlightSerializer
    pagination_class = None  # the flights still ahead of one operation

    @extend_schema(responses=s.FlightSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """Flights still ahead whose departure airport has been suspended since they were
        planned, the soonest first: each can be moved to an open airport."""
        flights = flights_from_suspended_airports(self.operation)
        return Response(s.FlightSerializer(flights, many=True).data)


@extend_schema(tags=["flights"])
class FlightMove(FlightView):
    # As the Airports page: moving a flight is planning it.
    write_permission = Permission.PLAN_FLIGHTS
    serializer_class = FlightMoveSerializer

    @extend_schema(responses={200: s.FlightSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Let the flight leave from another airport of the operation's country; everyone
        booked is told the new airport and times. 400 on `departure_airport` for an airport
        that is suspended, not in the country, or the flight's arrival airport; 409 when the
        flight can no longer change."""
        flight = self.get_flight(pk)
        data = valid_data(FlightMoveSerializer, request.data)
        airport = operation_airports(self.operation).filter(iata_code=data["departure_airport"])
        if not airport.exists():
            raise ValidationError({"departure_airport": [_("No such airport in this country.")]})
        flight = flight_move_departure(flight=flight, airport=airport.get(), by=request.user)
        return Response(s.FlightSerializer(self.get_flight(flight.pk)).data)

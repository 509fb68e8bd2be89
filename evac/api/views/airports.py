"""An operation's airports, and suspending or reopening one."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import serializers as s
from evac.api.views.base import OperationView, valid_data
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

"""Filling a flight from the waiting list, as the staff page's "Add passengers" does: a
preview first if wanted, then the fill, both through evac.flights.fills."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import fill_serializers as f
from evac.api.views.base import valid_data
from evac.api.views.flights import FlightView
from evac.flights.fill import flight_fill_from_waiting_list, flight_fill_preview
from evac.operations.access import Permission
from evac.places.models import City


@extend_schema(tags=["bookings"])
class FlightFill(FlightView):
    # As the page: filling (and its preview) is the bookings manager's, not a viewer's.
    write_permission = Permission.MANAGE_BOOKINGS
    serializer_class = f.FillResultSerializer
    pagination_class = None

    @extend_schema(
        request=f.FillSerializer,
        responses={200: f.FillResultSerializer, 201: f.FillResultSerializer},
    )
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Give the flight's free seats to the waiting list in its order (priority, then
        waiting time; households whole, and a household that doesn't fit is passed over so
        smaller units after it still get seats). With `"preview": true` nothing is booked
        (200): the answer is whom the fill would book now and why the others do not fit.
        Without it the seats are booked (201), each unit in its own transaction. 409 when
        the flight does not take bookings."""
        flight = self.get_flight(pk)
        data = valid_data(f.FillSerializer, request.data)
        city = None
        if "city" in data:
            city = City.objects.filter(pk=data["city"]).first()
            if city is None:
                raise ValidationError({"city": [_("No such city.")]})
        fill = flight_fill_preview if data["preview"] else flight_fill_from_waiting_list
        result = fill(flight=flight, by=request.user, limit=data.get("limit"), city=city)
        body = {
            "preview": data["preview"],
            "seats_left": result.seats_left,
            "people_count": result.people_count,
            "units": result.units,
            "booked": result.booked,
            "skipped_count": len(result.skipped),
            "skipped": result.skipped[: f.SKIPPED_LISTED],
        }
        return Response(
            f.FillResultSerializer(body).data,
            status=status.HTTP_200_OK if data["preview"] else status.HTTP_201_CREATED,
        )

from django.db.models import OuterRef, QuerySet, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import serializers as s
from evac.api.operation_serializers import OperationOpenSerializer
from evac.api.views.base import ApiView, OperationView, valid_data
from evac.flights.selectors import operation_flights
from evac.operations.access import operations_visible_to, require_headquarters
from evac.operations.models import Membership, Operation
from evac.operations.services import operation_open
from evac.people.selectors import people_counts
from evac.places.models import Airport, City


def with_my_role(operations: QuerySet[Operation], user) -> QuerySet[Operation]:
    mine = Membership.objects.filter(operation=OuterRef("pk"), user=user).values("role")[:1]
    return operations.annotate(my_role=Subquery(mine))


@extend_schema(tags=["operations"])
class OperationList(ApiView):
    """The operations you are a member of, with your role and what it allows."""

    serializer_class = s.OperationSerializer
    ordering = ("slug",)

    def get_queryset(self) -> QuerySet[Operation]:
        return with_my_role(operations_visible_to(self.request.user), self.request.user)

    @extend_schema(responses=s.OperationSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=OperationOpenSerializer, responses={201: s.OperationSerializer})
    def post(self, request: Request) -> Response:
        """Open a new operation: headquarters only (403 for anyone else). Then add its
        coordinator through …/members/, who is invited by e-mail."""
        require_headquarters(request.user)  # the door, as for an operation's permissions
        data = valid_data(OperationOpenSerializer, request.data)
        operation = operation_open(by=request.user, **data)
        opened = with_my_role(Operation.objects.filter(pk=operation.pk), request.user).get()
        return Response(self.get_serializer(opened).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["operations"])
class OperationDetail(OperationView):
    serializer_class = s.OperationSerializer
    pagination_class = None

    def get(self, request: Request, op: str) -> Response:
        operation = with_my_role(Operation.objects.filter(pk=self.operation.pk), request.user)
        return Response(self.get_serializer(operation.get()).data)


@extend_schema(tags=["operations"])
class Statistics(OperationView):
    """Counts by status, who is waiting in which city, and the seats of every flight."""

    serializer_class = s.StatisticsSerializer
    pagination_class = None

    def get(self, request: Request, op: str) -> Response:
        people = people_counts(self.operation)
        flights = operation_flights(self.operation).order_by("departs_at", "number", "pk")
        data = {
            "registered": people.registered,
            "by_status": people.by_status,
            "waiting_by_city": people.waiting_by_city,
            "flights": flights,
        }
        return Response(self.get_serializer(data).data)


@extend_schema(tags=["places"])
class CityList(ApiView):
    """Cities where people are stranded or flights leave from; shared by all operations."""

    serializer_class = s.CitySerializer
    queryset = City.objects.all()
    ordering = ("name", "pk")

    @extend_schema(responses=s.CitySerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["places"])
class AirportList(ApiView):
    """Airports, with whether they are open (Almaty was suspended in January 2022)."""

    serializer_class = s.AirportSerializer
    queryset = Airport.objects.select_related("city")
    ordering = ("iata_code",)

    @extend_schema(responses=s.AirportSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

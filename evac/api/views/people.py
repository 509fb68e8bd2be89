from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import serializers as s
from evac.api.filters import (
    CITIZEN_ORDERINGS,
    CitizenApiFilter,
    NamedOrdering,
    OperationFilterBackend,
)
from evac.api.views.base import OperationView, valid_data
from evac.audit.models import AccessAction
from evac.operations.access import Permission
from evac.people.models import Citizen, Household
from evac.people.selectors import citizen_for_page, contact_log
from evac.people.services import (
    citizen_confirm_needs,
    citizen_set_status,
    citizen_update,
    contact_log_add,
    household_register,
    people_register,
)


class CitizenView(OperationView):
    # One person, found by reference code (any case, with or without dash).

    def get_citizen(self, ref: str) -> Citizen:
        citizen = citizen_for_page(self.operation, ref)
        if citizen is None:
            raise NotFound(_("No such person in this operation."))
        return citizen


@extend_schema(tags=["citizens"])
class CitizenList(OperationView):
    write_permission = Permission.EDIT_CITIZENS
    serializer_class = s.CitizenListItemSerializer
    filter_backends = [OperationFilterBackend, NamedOrdering]
    filterset_class = CitizenApiFilter
    orderings = CITIZEN_ORDERINGS
    default_ordering = "name"

    def get_queryset(self) -> QuerySet[Citizen]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Citizen.objects.none()
        return self.operation.citizens.select_related("current_city")

    @extend_schema(responses=s.CitizenListItemSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """The registry: filter, search (`q`) and sort; pages by cursor.

        List fields only: no contacts, address, date of birth, health details or notes, and
        document numbers masked to their last characters; `q` still finds a person by their
        whole number or phone. The person's own endpoint gives the whole record (and writes
        the access log).
        """
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.CitizenCreateSerializer, responses={201: s.CitizenSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Register one person travelling alone (for a family, post a household)."""
        data = valid_data(s.CitizenCreateSerializer, request.data)
        source = data.pop("source")
        # The API has no duplicate warning to answer, so it registers as asked.
        [citizen] = people_register(
            operation=self.operation,
            source=source,
            by=request.user,
            people=[data],
            register_anyway=True,
        )
        body = s.CitizenSerializer(citizen, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["citizens"])
class CitizenDetail(CitizenView):
    write_permission = Permission.EDIT_CITIZENS
    serializer_class = s.CitizenSerializer

    def get(self, request: Request, op: str, ref: str) -> Response:
        # The serializer writes the access log's row, as for every answer with a full record.
        citizen = self.get_citizen(ref)
        return Response(s.CitizenSerializer(citizen, context=self.get_serializer_context()).data)

    @extend_schema(request=s.CitizenWriteSerializer(partial=True))
    def patch(self, request: Request, op: str, ref: str) -> Response:
        """Change any of the fields; the others stay as they are."""
        citizen = self.get_citizen(ref)
        changes = valid_data(s.CitizenWriteSerializer, request.data, partial=True)
        citizen = citizen_update(citizen=citizen, by=request.user, **changes)
        return Response(s.CitizenSerializer(citizen, context=self.get_serializer_context()).data)


@extend_schema(tags=["citizens"])
class CitizenStatus(CitizenView):
    write_permission = Permission.EDIT_CITIZENS
    serializer_class = s.CitizenStatusSerializer

    @extend_schema(responses={200: s.CitizenSerializer})
    def post(self, request: Request, op: str, ref: str) -> Response:
        """Record a decision: stays, left by own means, unreachable, or waiting again.

        A person holding a seat loses it. Answers 409 (invalid_transition) when the status
        rules don't allow the change.
        """
        citizen = self.get_citizen(ref)
        data = valid_data(s.CitizenStatusSerializer, request.data)
        citizen = citizen_set_status(citizen=citizen, status=data["status"], by=request.user)
        return Response(s.CitizenSerializer(citizen, context=self.get_serializer_context()).data)


@extend_schema(tags=["citizens"])
class CitizenNeedsConfirm(CitizenView):
    write_permission = Permission.CONFIRM_NEEDS
    serializer_class = s.CitizenSerializer

    @extend_schema(request=None, responses={200: s.CitizenSerializer})
    def post(self, request: Request, op: str, ref: str) -> Response:
        """Staff checked the needs the person claimed on the portal (medical, pregnancy,
        mobility): from now on they count for the waiting list's order. 409 when there is
        no claimed need to confirm."""
        citizen = citizen_confirm_needs(citizen=self.get_citizen(ref), by=request.user)
        return Response(s.CitizenSerializer(citizen, context=self.get_serializer_context()).data)


@extend_schema(tags=["citizens"])
class ContactLog(CitizenView):
    write_permission = Permission.EDIT_CITIZENS
    serializer_class = s.ContactLogEntrySerializer
    pagination_class = None  # one person's calls and messages: a short list

    @extend_schema(responses=s.ContactLogEntrySerializer(many=True))
    def get(self, request: Request, op: str, ref: str) -> Response:
        """Every call, message or visit with this person, newest first."""
        citizen = self.get_citizen(ref)
        self.log_access(request, citizen, AccessAction.PERSON_CONTACTS_VIEWED)
        entries = contact_log(citizen)
        return Response(s.ContactLogEntrySerializer(entries, many=True).data)

    @extend_schema(responses={201: s.ContactLogEntrySerializer})
    def post(self, request: Request, op: str, ref: str) -> Response:
        """Log a contact; one in which we heard from the person updates last_contacted_at."""
        citizen = self.get_citizen(ref)
        data = valid_data(s.ContactLogEntrySerializer, request.data)
        entry = contact_log_add(citizen=citizen, by=request.user, **data)
        return Response(s.ContactLogEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


def _households(operation) -> QuerySet[Household]:
    members = Prefetch(
        "members", queryset=Citizen.objects.only("pk", "reference_code", "household")
    )
    return operation.households.select_related("head").prefetch_related(members)


@extend_schema(tags=["households"])
class HouseholdList(OperationView):
    write_permission = Permission.EDIT_CITIZENS
    serializer_class = s.HouseholdSerializer
    ordering = ("pk",)

    def get_queryset(self) -> QuerySet[Household]:
        return _households(self.operation)

    @extend_schema(responses=s.HouseholdSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.HouseholdCreateSerializer, responses={201: s.HouseholdSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Register people who travel together, all at once; the first is the head."""
        data = valid_data(s.HouseholdCreateSerializer, request.data)
        household = household_register(
            operation=self.operation,
            source=data["source"],
            by=request.user,
            members=[dict(member) for member in data["members"]],
        )
        household = _households(self.operation).get(pk=household.pk)
        return Response(s.HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["households"])
class HouseholdDetail(OperationView):
    serializer_class = s.HouseholdSerializer

    def get(self, request: Request, op: str, pk: int) -> Response:
        household = _households(self.operation).filter(pk=pk).first()
        if household is None:
            raise NotFound(_("No such household in this operation."))
        return Response(s.HouseholdSerializer(household).data)

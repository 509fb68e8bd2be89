"""What a coordinator sets up for the whole operation, as on its staff pages: the advice on
the public page, and closing the operation, moving the day its personal data is anonymised,
or reopening it (the closing page).

Each write is one call to the service the page calls (evac.operations.services,
evac.flights.closing), which checks the permission again and holds every rule; its refusals
reach the client through evac.api.errors: 409 for a state that says no (a flight still
ahead, an operation not closed), 400 with the field for input that is wrong.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import serializers as s
from evac.api.fields import StrictCharField, StrictDateField
from evac.api.views.base import OperationView, valid_data
from evac.api.views.operations import with_my_role
from evac.flights.closing import (
    operation_close,
    operation_reopen,
    operation_schedule_anonymisation,
)
from evac.operations.access import Permission
from evac.operations.models import Operation
from evac.operations.services import operation_set_advice


class AdviceSerializer(serializers.Serializer):
    advice = StrictCharField(
        allow_blank=True,
        help_text="Shown first on the operation's public page, in plain words; empty to show "
        "none. 400 when it is too long.",
    )


class AnonymiseOnSerializer(serializers.Serializer):
    on = StrictDateField(
        help_text="The day the closed operation's personal data is anonymised; today at the "
        "earliest."
    )


class OperationSetupView(OperationView):
    serializer_class = s.OperationSerializer
    pagination_class = None

    def answer(self, request: Request) -> Response:
        """The operation as it stands now, with the caller's role and what it allows now (a
        closed operation allows less)."""
        operation = with_my_role(Operation.objects.filter(pk=self.operation.pk), request.user)
        return Response(s.OperationSerializer(operation.get()).data)


@extend_schema(tags=["operations"])
class OperationAdvice(OperationSetupView):
    # As the advice page: the coordinators who plan the flights write it.
    write_permission = Permission.PLAN_FLIGHTS

    @extend_schema(request=AdviceSerializer, responses={200: s.OperationSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Replace the embassy's advice on the operation's public page."""
        data = valid_data(AdviceSerializer, request.data)
        operation_set_advice(operation=self.operation, advice=data["advice"], by=request.user)
        return self.answer(request)


@extend_schema(tags=["operations"])
class OperationClose(OperationSetupView):
    write_permission = Permission.MANAGE_OPERATION

    @extend_schema(request=None, responses={200: s.OperationSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Close the operation: it becomes read-only, its public pages close, and its
        personal data is scheduled to be anonymised (`anonymise_on`). 409 while a flight is
        still planned, open or boarding, or when it is closed already."""
        operation_close(operation=self.operation, by=request.user)
        return self.answer(request)


@extend_schema(tags=["operations"])
class OperationReopen(OperationSetupView):
    write_permission = Permission.MANAGE_OPERATION

    @extend_schema(request=None, responses={200: s.OperationSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Make a closed operation active again, without its anonymisation date. 409 when it
        is not closed, or its anonymisation is due today or done."""
        operation_reopen(operation=self.operation, by=request.user)
        return self.answer(request)


@extend_schema(tags=["operations"])
class OperationAnonymiseOn(OperationSetupView):
    write_permission = Permission.MANAGE_OPERATION

    @extend_schema(request=AnonymiseOnSerializer, responses={200: s.OperationSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Move the day the closed operation's personal data is anonymised. 400 on `on` for a
        day in the past; 409 when the operation is not closed, or the day has come."""
        data = valid_data(AnonymiseOnSerializer, request.data)
        operation_schedule_anonymisation(operation=self.operation, on=data["on"], by=request.user)
        return self.answer(request)

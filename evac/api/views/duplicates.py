"""Likely duplicates over the API: the queue of pairs, saying a pair is two people, and
withdrawing that judgement. The same services as the staff pages (people/duplicates.py)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api.views.base import OperationView
from evac.core.requests import caller_of
from evac.operations.access import Permission
from evac.people.duplicates import duplicates_scan, pair_dismiss, pair_undismiss
from evac.people.merge_models import DismissedPair, DuplicatePair


class DuplicatePairSerializer(serializers.ModelSerializer):
    first = serializers.CharField(
        source="first.reference", read_only=True, help_text="One record's reference code."
    )
    second = serializers.CharField(
        source="second.reference", read_only=True, help_text="The other record's reference code."
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Why, in English."
    )

    class Meta:
        model = DuplicatePair
        fields = ["id", "likelihood", "first", "second", "reasons", "found_at"]
        read_only_fields = fields


class DismissedPairSerializer(serializers.ModelSerializer):
    first = serializers.CharField(source="first.reference", read_only=True)
    second = serializers.CharField(source="second.reference", read_only=True)

    class Meta:
        model = DismissedPair
        fields = ["id", "first", "second", "dismissed_at"]
        read_only_fields = fields


@extend_schema(tags=["citizens"])
class DuplicateList(OperationView):
    read_permission = Permission.VIEW
    serializer_class = DuplicatePairSerializer
    ordering = ("-likelihood", "first", "second")

    def get_queryset(self):
        return DuplicatePair.objects.filter(operation=self.operation).select_related(
            "first", "second"
        )

    @extend_schema(responses=DuplicatePairSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """Pairs of records that may be one person, most likely first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DuplicateScanSerializer(serializers.Serializer):
    likely_pairs = serializers.IntegerField(help_text="How many likely pairs the scan found.")


@extend_schema(tags=["citizens"])
class DuplicateScan(OperationView):
    # As the page's "Scan again": whoever edits people may ask for it.
    write_permission = Permission.EDIT_CITIZENS
    serializer_class = DuplicateScanSerializer
    pagination_class = None

    @extend_schema(request=None, responses={200: DuplicateScanSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Score the whole operation again for records that may be one person; the queue
        is what the scan found (pairs said to be two people never come back)."""
        found = duplicates_scan(operation=self.operation, by=request.user)
        return Response(DuplicateScanSerializer({"likely_pairs": found}).data)


@extend_schema(tags=["citizens"])
class DuplicateDismiss(OperationView):
    write_permission = Permission.MERGE_PEOPLE
    serializer_class = DismissedPairSerializer

    @extend_schema(request=None, responses={200: DismissedPairSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Say the pair is two different people: it leaves the queue and never comes back."""
        pair = DuplicatePair.objects.filter(operation=self.operation, pk=pk).first()
        if pair is None:
            raise NotFound(_("No such pair in this operation."))
        dismissed = pair_dismiss(pair=pair, caller=caller_of(request))
        return Response(DismissedPairSerializer(dismissed).data)


class UndismissedSerializer(serializers.Serializer):
    likely_pairs = serializers.IntegerField(
        read_only=True, help_text="How many likely pairs the two records have now."
    )


@extend_schema(tags=["citizens"])
class DismissedList(OperationView):
    read_permission = Permission.VIEW
    serializer_class = DismissedPairSerializer
    ordering = ("-dismissed_at", "-pk")

    def get_queryset(self):
        return DismissedPair.objects.filter(operation=self.operation).select_related(
            "first", "second"
        )

    @extend_schema(responses=DismissedPairSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """Pairs judged to be two different people, the latest first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["citizens"])
class DismissedUndo(OperationView):
    write_permission = Permission.MERGE_PEOPLE
    serializer_class = UndismissedSerializer

    @extend_schema(request=None, responses={200: UndismissedSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Withdraw a judgement "two people" made by mistake: the pair is scored again, and
        is back in the queue if it still looks like one person."""
        dismissed = DismissedPair.objects.filter(operation=self.operation, pk=pk).first()
        if dismissed is None:
            raise NotFound(_("No such judgement in this operation."))
        found = pair_undismiss(dismissed=dismissed, caller=caller_of(request))
        return Response(UndismissedSerializer({"likely_pairs": found}).data)

"""Merging two records of one person over the API, and undoing a merge: the same service as
the staff page (people/merges.py). A refusal is a 409 (merge_refused) with the reason."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api.views.base import OperationView, valid_data
from evac.api.views.people import CitizenView
from evac.core.reference import format_reference_code
from evac.core.requests import caller_of
from evac.operations.access import Permission
from evac.people import merges
from evac.people.merge_models import CitizenMerge


class MergeSerializer(serializers.ModelSerializer):
    kept = serializers.SerializerMethodField(help_text="The kept record's reference code.")
    merged_away = serializers.SerializerMethodField(
        help_text="The reference code of the record that went; it still finds the person."
    )

    class Meta:
        model = CitizenMerge
        fields = ["id", "kept", "merged_away", "merged_at", "undone_at"]
        read_only_fields = fields

    def get_kept(self, merge: CitizenMerge) -> str:
        return format_reference_code(merge.kept_reference_code)

    def get_merged_away(self, merge: CitizenMerge) -> str:
        return format_reference_code(merge.dropped_reference_code)


class MergeRequestSerializer(serializers.Serializer):
    other = serializers.CharField(
        max_length=20, help_text="Reference code of the record that goes into this one."
    )
    use_other = serializers.ListField(
        child=serializers.ChoiceField(choices=merges.MERGE_FIELDS),
        required=False,
        default=list,
        max_length=len(merges.MERGE_FIELDS),
        help_text="The fields whose value comes from the other record; the rest stay.",
    )


@extend_schema(tags=["citizens"])
class MergeCreate(CitizenView):
    write_permission = Permission.MERGE_PEOPLE
    serializer_class = MergeRequestSerializer

    @extend_schema(request=MergeRequestSerializer, responses={201: MergeSerializer})
    def post(self, request: Request, op: str, ref: str) -> Response:
        """Merge the record `other` into this one, taking the fields in `use_other` from it.

        Its seat, messages, contact log and household place move here in one transaction.
        Answers 409 (merge_refused) when a rule says no (both hold a seat, a minor would be
        left in a household without an adult).
        """
        kept = self.get_citizen(ref)
        data = valid_data(MergeRequestSerializer, request.data)
        other = self.get_citizen(data["other"])
        merge = merges.citizens_merge(
            kept=kept, dropped=other, caller=caller_of(request), use_other=data["use_other"]
        )
        return Response(MergeSerializer(merge).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["citizens"])
class MergeUndo(OperationView):
    write_permission = Permission.MERGE_PEOPLE
    serializer_class = MergeSerializer

    @extend_schema(request=None, responses={200: MergeSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Undo a merge: both records as they were, with their rows. 409 when it can't be."""
        merge = CitizenMerge.objects.filter(operation=self.operation, pk=pk).first()
        if merge is None:
            raise NotFound(_("No such merge in this operation."))
        merge = merges.merge_undo(merge=merge, caller=caller_of(request))
        return Response(MergeSerializer(merge).data)

"""Staff pages of a merge: two records side by side with a choice per field, the merges made
in the operation, and their undo. Every write goes through people/merges.py; the page shows
the refusal that service computes, it never decides one itself."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from evac.audit.models import AccessAction, AccessObjectKind
from evac.audit.services import access_log_record
from evac.core.requests import caller_of
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page
from evac.people import merges
from evac.people.merge_models import CitizenMerge
from evac.people.models import Citizen
from evac.people.privacy import withheld_fields
from evac.people.selectors import citizen_for_page


def _shown(citizen: Citizen, name: str) -> str:
    if name == "household":
        return str(citizen.household) if citizen.household_id else ""
    value = getattr(citizen, name)
    display = getattr(citizen, f"get_{name}_display", None)
    if display is not None and value not in (None, ""):
        return str(display())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


def _label(name: str) -> str:
    return (
        _("household") if name == "household" else str(Citizen._meta.get_field(name).verbose_name)
    )


@operation_page(Permission.MERGE_PEOPLE)
def citizen_merge(request: OperationRequest, code: str) -> HttpResponse:
    """Two records side by side; the person keeps this record, with the values chosen."""
    kept = citizen_for_page(request.operation, code)
    if kept is None:
        raise Http404
    other_code = request.POST.get("with") or request.GET.get("with") or ""
    other = citizen_for_page(request.operation, other_code) if other_code else None
    if other is None or other.pk == kept.pk:
        return render(
            request, "people/merge_pick.html", {"nav": "citizens", "kept": kept, "code": other_code}
        )
    use_other = [
        name for name in merges.MERGE_FIELDS if request.POST.get(f"keep-{name}") == "other"
    ]
    error = ""
    if request.method == "POST":
        try:
            merges.citizens_merge(
                kept=kept, dropped=other, caller=caller_of(request), use_other=use_other
            )
        except merges.MergeRefused as refusal:
            error = refusal.message
        else:
            messages.success(
                request,
                _("%(other)s is merged into %(kept)s. You can undo it from the list of merges.")
                % {"other": other.reference, "kept": kept.reference},
            )
            return redirect("people:detail", request.operation.slug, kept.reference_code)
    for person in (kept, other):
        access_log_record(
            caller=caller_of(request),
            operation=request.operation,
            action=AccessAction.PERSON_MERGE_OPENED,
            kind=AccessObjectKind.PERSON,
            object_id=person.pk,
            label=person.reference,
        )
    withheld = withheld_fields(request.permissions)
    rows = [
        {
            "name": name,
            "label": _label(name),
            "kept": _shown(kept, name),
            "other": _shown(other, name),
            "differ": _shown(kept, name) != _shown(other, name),
            "use_other": name in use_other,
        }
        for name in merges.MERGE_FIELDS
        if name not in withheld
    ]
    context = {
        "nav": "citizens",
        "kept": kept,
        "other": other,
        "rows": rows,
        "error": error,
        "refusal": error or merges.merge_refusal(kept=kept, dropped=other, use_other=use_other),
    }
    return render(request, "people/merge.html", context)


@operation_page(Permission.MERGE_PEOPLE)
@require_safe
def merge_list(request: OperationRequest) -> HttpResponse:
    """The merges made in the operation, newest first, each with its undo."""
    made = CitizenMerge.objects.filter(operation=request.operation).select_related(
        "merged_by", "undone_by"
    )[:200]
    return render(request, "people/merges.html", {"nav": "citizens", "merges": made})


@operation_page(Permission.MERGE_PEOPLE)
@require_POST
def merge_undo(request: OperationRequest, pk: int) -> HttpResponse:
    merge = CitizenMerge.objects.filter(operation=request.operation, pk=pk).first()
    if merge is None:
        raise Http404
    try:
        merges.merge_undo(merge=merge, caller=caller_of(request))
    except merges.MergeRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("The merge is undone: %(kept)s and %(other)s are two records again.")
            % {"kept": merge.kept_reference_code, "other": merge.dropped_reference_code},
        )
    return redirect("people:merges", request.operation.slug)

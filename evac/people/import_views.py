"""Staff pages of a bulk import: upload, map and preview, progress, and the error file.

Every write goes through people/imports.py; the run itself is a task, and the page polls a
small fragment of its progress (static/js/imports.js), so a reload finds it where it is.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from evac.audit.models import AccessAction, AccessObjectKind
from evac.audit.services import access_log_record
from evac.core.requests import caller_of
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page
from evac.people import imports
from evac.people.duplicates import duplicates_scan, pair_dismiss, pair_undismiss
from evac.people.import_models import ImportMapping, PeopleImport
from evac.people.merge_models import DismissedPair, DuplicatePair
from evac.people.spreadsheets import MAX_FILE_BYTES, TARGETS, UnreadableFile


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        help_text=gettext_lazy("The first row holds the column titles."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            limit = {"mb": MAX_FILE_BYTES >> 20}
            raise ValidationError(_("The file is larger than %(mb)d MB.") % limit)
        return upload


@operation_page(Permission.IMPORT_PEOPLE)
def import_list(request: OperationRequest) -> HttpResponse:
    """The operation's imports, newest first, and the upload of a new file."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = imports.import_create(
                operation=request.operation,
                by=request.user,
                file_name=upload.name,
                content=upload.read(),
            )
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            return redirect("people:import", request.operation.slug, created.pk)
    listed = PeopleImport.objects.filter(operation=request.operation).defer(
        "content", "error_rows"
    )[:50]
    return render(
        request, "people/imports.html", {"nav": "citizens", "form": form, "imports": listed}
    )


def _import(request: OperationRequest, pk: int) -> PeopleImport:
    found = PeopleImport.objects.filter(operation=request.operation, pk=pk).first()
    if found is None:
        raise Http404
    return found


@operation_page(Permission.IMPORT_PEOPLE)
def import_detail(request: OperationRequest, pk: int) -> HttpResponse:
    """Map the columns and preview the first rows; once started, the progress."""
    people_import = _import(request, pk)
    if request.method == "POST" and people_import.status == PeopleImport.Status.MAPPING:
        try:
            _act(request, people_import)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("people:import", request.operation.slug, people_import.pk)
    context = {"nav": "citizens", "import": people_import}
    if people_import.status == PeopleImport.Status.MAPPING:
        context.update(
            columns=[
                (str(index), header, people_import.mapping.get(str(index), ""))
                for index, header in enumerate(people_import.headers)
            ],
            targets=list(TARGETS.items()),
            preview=imports.import_preview(people_import),
            saved_mappings=ImportMapping.objects.filter(operation=request.operation),
        )
    return render(request, "people/import.html", context)


def _act(request: OperationRequest, people_import: PeopleImport) -> None:
    by = request.user
    if "saved" in request.POST:
        saved = ImportMapping.objects.filter(
            operation=request.operation, pk=request.POST.get("saved") or 0
        ).first()
        if saved is not None:
            imports.mapping_apply(people_import=people_import, by=by, saved=saved)
        return
    mapping = {
        str(index): request.POST.get(f"column-{index}", "")
        for index in range(len(people_import.headers))
    }
    imports.import_set_mapping(people_import=people_import, by=by, mapping=mapping)
    if request.POST.get("save_as", "").strip():
        imports.mapping_save(people_import=people_import, by=by, name=request.POST["save_as"])
        messages.success(request, _("The mapping is saved."))
    if "run" in request.POST:
        imports.import_start(people_import=people_import, by=by)


@operation_page(Permission.IMPORT_PEOPLE)
@require_safe
def import_progress(request: OperationRequest, pk: int) -> HttpResponse:
    """The progress fragment the page polls: counts only, no one's details."""
    response = render(request, "people/_import_progress.html", {"import": _import(request, pk)})
    response["Cache-Control"] = "no-store"
    return response


@operation_page(Permission.IMPORT_PEOPLE)
@require_safe
def import_errors(request: OperationRequest, pk: int) -> HttpResponse:
    """The rows that were not registered, as in the file, with the reason in a last column."""
    people_import = _import(request, pk)
    # Whole rows of the file: the people in them, so the download is in the access log.
    access_log_record(
        caller=caller_of(request),
        operation=request.operation,
        action=AccessAction.IMPORT_ERRORS_DOWNLOADED,
        kind=AccessObjectKind.IMPORT,
        object_id=people_import.pk,
        label=f"import {people_import.pk}",
    )
    content = imports.import_errors_csv(people_import=people_import, by=request.user)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{pk}-errors.csv"'
    response["Cache-Control"] = "no-store"
    return response


@operation_page(Permission.VIEW)
@require_safe
def duplicate_queue(request: OperationRequest) -> HttpResponse:
    """Likely pairs of records of one person, most likely first, as stored when people were
    registered, imported or changed (people.duplicates.pairs_store)."""
    pairs = DuplicatePair.objects.filter(operation=request.operation).select_related(
        "first", "second"
    )[:200]
    rows = [(pair, [_(reason) for reason in pair.reasons]) for pair in pairs]
    # The latest judgements "two people", so one made by mistake can be withdrawn.
    dismissed = (
        DismissedPair.objects.filter(operation=request.operation)
        .select_related("first", "second", "dismissed_by")
        .order_by("-dismissed_at", "-pk")[:50]
    )
    return render(
        request,
        "people/duplicates.html",
        {"nav": "citizens", "rows": rows, "dismissed": dismissed},
    )


@operation_page(Permission.EDIT_CITIZENS)
@require_POST
def duplicate_scan(request: OperationRequest) -> HttpResponse:
    """Score the whole operation again, on demand."""
    found = duplicates_scan(operation=request.operation, by=request.user)
    messages.success(request, _("%(count)d likely pairs found.") % {"count": found})
    return redirect("people:duplicates", request.operation.slug)


@operation_page(Permission.MERGE_PEOPLE)
@require_POST
def duplicate_dismiss(request: OperationRequest, pk: int) -> HttpResponse:
    """Staff say the pair is two people: it leaves the queue and never comes back."""
    pair = DuplicatePair.objects.filter(operation=request.operation, pk=pk).first()
    if pair is None:
        raise Http404
    pair_dismiss(pair=pair, caller=caller_of(request))
    messages.success(request, _("Marked as two different people; the pair won't be shown again."))
    return redirect("people:duplicates", request.operation.slug)


@operation_page(Permission.MERGE_PEOPLE)
@require_POST
def duplicate_undismiss(request: OperationRequest, pk: int) -> HttpResponse:
    """Staff withdraw a judgement "two people" made by mistake: the pair is scored again."""
    dismissed = DismissedPair.objects.filter(operation=request.operation, pk=pk).first()
    if dismissed is None:
        raise Http404
    found = pair_undismiss(dismissed=dismissed, caller=caller_of(request))
    if found:
        messages.success(request, _("The pair is back among the likely duplicates."))
    else:
        messages.success(
            request, _("The judgement is withdrawn; the two records no longer look alike.")
        )
    return redirect("people:duplicates", request.operation.slug)

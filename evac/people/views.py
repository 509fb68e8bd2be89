"""The citizen registry: list, household intake, a person's page, edit, status and contacts.

Every page is scoped to the operation in the URL by `operation_page`; people are found by
their reference code through that operation, so another operation's people answer 404.
Writes go through people.services; their refusals come back as form errors or messages.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from evac.audit.models import AccessAction, AccessObjectKind
from evac.audit.services import access_log_record
from evac.core.clock import today
from evac.core.errors import Conflict
from evac.core.requests import caller_of
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page
from evac.people import counts
from evac.people.documents import DocumentIssue, document_issues
from evac.people.filters import CitizenFilter
from evac.people.forms import (
    CitizenEditForm,
    ContactForm,
    HouseholdForm,
    MemberFormSet,
    StatusForm,
)
from evac.people.models import Citizen
from evac.people.name_checks import names_not_passport_latin
from evac.people.name_checks import names_to_fix as names_to_fix_rows
from evac.people.paging import keyset_page
from evac.people.privacy import withheld_fields
from evac.people.selectors import (
    DEFAULT_REGISTRY_SORT,
    REGISTRY_PAGE_SIZE,
    PossibleDuplicate,
    citizen_bookings,
    citizen_for_page,
    citizen_history,
    contact_log,
    household_members,
    phone_regions,
    registry_rows,
)
from evac.people.services import (
    CitizenStatusPreview,
    LikelyDuplicates,
    citizen_confirm_needs,
    citizen_set_status,
    citizen_status_choices,
    citizen_status_preview,
    citizen_status_refusal,
    citizen_update,
    contact_log_add,
    people_register,
)
from evac.places.selectors import cities_needing_transfer

MEMBERS_PREFIX = "members"


# The list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A sortable column heading: which sort it asks for, and whether it is the current one."""

    label: str
    sort: str
    current: str  # "ascending", "descending" or ""

    @property
    def next_sort(self) -> str:
        return f"-{self.sort}" if self.current == "ascending" else self.sort


SORTABLE_COLUMNS = {
    "name": gettext_lazy("Name"),
    "city": gettext_lazy("City"),
    "status": gettext_lazy("Status"),
    "last_contacted_at": gettext_lazy("Last heard from"),
    "registered_at": gettext_lazy("Registered"),
}


# What a page link adds to the list's own parameters: not a filter.
PAGING = frozenset({"sort", "page", "after", "before"})
# Filters whose total the maintained counts know (people.counts keys people by both).
COUNTED_FILTERS = frozenset({"status", "city"})


@operation_page(Permission.VIEW)
def citizen_list(request: OperationRequest) -> HttpResponse:
    operation = request.operation
    filters = CitizenFilter(
        request.GET or None, queryset=registry_rows(operation), operation=operation
    )
    # A link with a filter we can't read shows nothing rather than everybody, so a wrong
    # number is never mistaken for the list behind it.
    citizens = filters.qs if filters.is_valid() or not filters.is_bound else filters.qs.none()
    # Unfiltered, or filtered by status and city alone, the total is the operation's
    # maintained count, not a COUNT of everyone (or of a city's waiting thousands).
    narrowed_by = {
        key for key in request.GET if key not in PAGING and any(request.GET.getlist(key))
    }
    counted = not filters.is_bound or (filters.is_valid() and narrowed_by <= COUNTED_FILTERS)
    total = None
    if counted:
        chosen = filters.form.cleaned_data if filters.is_bound else {}
        total = counts.registered_counted(
            operation.pk, statuses=chosen.get("status") or None, city=chosen.get("city")
        )
    page = keyset_page(citizens, request.GET, per_page=REGISTRY_PAGE_SIZE, count=total)
    sort = (filters.form.cleaned_data.get("sort") if filters.is_valid() else None) or (
        DEFAULT_REGISTRY_SORT
    )
    return render(
        request,
        "people/list.html",
        {
            "nav": "citizens",
            "filters": filters,
            "page": page,
            "columns": _columns(sort),
            "transfer_city_ids": set(cities_needing_transfer().values_list("pk", flat=True)),
        },
    )


def _columns(sort: str) -> dict[str, Column]:
    def state(key: str) -> str:
        if sort == key:
            return "ascending"
        return "descending" if sort == f"-{key}" else ""

    return {key: Column(str(label), key, state(key)) for key, label in SORTABLE_COLUMNS.items()}


# Intake --------------------------------------------------------------------------------


@operation_page(Permission.EDIT_CITIZENS)
def citizen_new(request: OperationRequest) -> HttpResponse:
    """Register a household (or one person) from a call or a walk-in, head first."""
    if request.method != "POST":
        return _intake_page(request, HouseholdForm(), _members(request))
    household_form = HouseholdForm(request.POST)
    members = _members(request, data=request.POST)
    if "add_member" in request.POST:
        # Show what was typed and one more empty person, without judging the unfinished.
        typed_place = {name: household_form[name].value() for name in household_form.fields}
        typed = members.typed() if members.management_form.is_valid() else []
        return _intake_page(
            request, HouseholdForm(initial=typed_place), _members(request, initial=[*typed, {}])
        )
    if not (household_form.is_valid() and members.is_valid()):
        return _intake_page(request, household_form, members)
    people = members.people()
    if not people:
        household_form.add_error(None, _("Give the details of at least one person."))
        return _intake_page(request, household_form, members)
    place = household_form.cleaned_data
    try:
        registered = people_register(
            operation=request.operation,
            source=Citizen.Source.STAFF_INTAKE,
            by=request.user,
            people=people,
            place={name: place[name] for name in ("current_city", "temporary_address")},
            register_anyway=place["register_anyway"],
        )
    except LikelyDuplicates as found:
        return _intake_page(request, household_form, members, duplicates=found.duplicates)
    except ValidationError as error:
        household_form.add_error(None, error.messages)
        return _intake_page(request, household_form, members)
    messages.success(request, _registered_message(registered))
    return redirect("people:detail", request.operation.slug, registered[0].reference_code)


def _registered_message(people: list[Citizen]) -> str:
    listed = ", ".join(f"{person} ({person.reference})" for person in people)
    return ngettext(
        "Registered %(people)s. Give the reference code to the person.",
        "Registered %(count)d people: %(people)s. Give each their reference code.",
        len(people),
    ) % {"count": len(people), "people": listed}


def _members(request: OperationRequest, **kwargs) -> MemberFormSet:
    return MemberFormSet(
        prefix=MEMBERS_PREFIX,
        form_kwargs={"phone_regions": phone_regions(request.operation)},
        **kwargs,
    )


def _intake_page(
    request: OperationRequest,
    household_form: HouseholdForm,
    members: MemberFormSet,
    *,
    duplicates: list[PossibleDuplicate] | None = None,
) -> HttpResponse:
    return render(
        request,
        "people/new.html",
        {
            "nav": "citizens",
            "household_form": household_form,
            "members": members,
            "duplicates": duplicates or [],
            "error_forms": [
                ("", household_form),
                *(
                    (_("Person %(number)d") % {"number": number}, form)
                    for number, form in enumerate(members.forms, start=1)
                ),
            ],
        },
    )


# A person's page -----------------------------------------------------------------------


def _citizen_or_404(request: OperationRequest, code: str) -> Citizen:
    citizen = citizen_for_page(request.operation, code)
    if citizen is None:
        raise Http404
    return citizen


def _person_page(
    request: OperationRequest,
    citizen: Citizen,
    *,
    action: AccessAction,
    template: str,
    context: dict,
) -> HttpResponse:
    """Every page that shows a person's record is rendered here, after its access log row.

    Whatever brought the page (a GET, a form sent back with errors), showing the record is
    what is logged, so no view decides for itself whether to log: it calls this or shows no
    record. tests/audit/test_full_record_walk.py walks every page with every method.
    """
    access_log_record(
        caller=caller_of(request),
        operation=request.operation,
        action=action,
        kind=AccessObjectKind.PERSON,
        object_id=citizen.pk,
        label=citizen.reference,
    )
    return render(request, template, {"nav": "citizens", "citizen": citizen, **context})


@operation_page(Permission.VIEW)
def citizen_detail(request: OperationRequest, code: str) -> HttpResponse:
    return _detail_page(request, _citizen_or_404(request, code))


def _detail_page(
    request: OperationRequest, citizen: Citizen, *, contact_form: ContactForm | None = None
) -> HttpResponse:
    bookings = citizen_bookings(citizen)
    seat = _active_seat(bookings)
    may_edit = Permission.EDIT_CITIZENS in request.permissions
    # Judged for the day the person's flight arrives, or today while they have none.
    arrival_day = seat.flight.arrives_local.date() if seat else today()
    return _person_page(
        request,
        citizen,
        action=AccessAction.PERSON_VIEWED,
        template="people/detail.html",
        context={
            "members": household_members(citizen),
            "bookings": bookings,
            "seat": seat,
            "document_issues": [
                DocumentIssue(issue).label
                for issue in document_issues(citizen, arrival_day=arrival_day)
            ],
            "contacts": contact_log(citizen),
            "history": citizen_history(
                citizen,
                withheld=withheld_fields(request.permissions),
                zone=citizen.current_city.time_zone,
            ),
            "status_actions": [
                (status, Citizen.Status(status).label)
                for status in citizen_status_choices(citizen, by=request.user)
            ]
            if may_edit
            else [],
            "status_refusal": citizen_status_refusal(citizen=citizen, by=request.user)
            if may_edit
            else "",
            "contact_form": (contact_form or ContactForm(citizen=citizen)) if may_edit else None,
        },
    )


def _active_seat(bookings: list[Model]) -> Model | None:
    return next((booking for booking in bookings if booking.is_active), None)


@operation_page(Permission.EDIT_CITIZENS)
def citizen_edit(request: OperationRequest, code: str) -> HttpResponse:
    citizen = _citizen_or_404(request, code)
    form = CitizenEditForm(
        request.POST or None,
        instance=citizen,
        phone_regions=phone_regions(request.operation),
        withheld=withheld_fields(request.permissions),
    )
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("people:detail", request.operation.slug, citizen.reference_code)
        try:
            citizen_update(citizen=citizen, by=request.user, **changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved the changes to %(person)s.") % {"person": citizen})
            return redirect("people:detail", request.operation.slug, citizen.reference_code)
    return _person_page(
        request,
        citizen,
        action=AccessAction.PERSON_EDIT_OPENED,
        template="people/edit.html",
        context={"form": form, "error_forms": [("", form)]},
    )


@operation_page(Permission.EDIT_CITIZENS)
def citizen_status(request: OperationRequest, code: str) -> HttpResponse:
    """GET: show what the service says a decision would do, and ask to confirm it.
    POST: record it."""
    citizen = _citizen_or_404(request, code)
    back = reverse("people:detail", args=[request.operation.slug, citizen.reference_code])
    data = request.POST if request.method == "POST" else request.GET
    preview = citizen_status_preview(
        citizen=citizen, status=data.get("status", ""), by=request.user
    )
    if preview.refusal:  # said before the confirmation step, in the service's words
        messages.error(request, preview.refusal)
        return redirect(back)
    form = StatusForm(data, allowed=citizen_status_choices(citizen, by=request.user))
    if request.method != "POST" or not form.is_valid():
        return _status_confirmation(request, citizen, form, preview)
    status = form.cleaned_data["status"]
    seat = _active_seat(citizen_bookings(citizen))
    try:
        citizen_set_status(
            citizen=citizen,
            status=status,
            by=request.user,
            unaccompanied_reason=form.cleaned_data["unaccompanied_reason"],
        )
    except Conflict as refused:  # InvalidTransition and MinorWithoutAdult are Conflicts
        form.add_error(None, refused.message)
        return _status_confirmation(request, citizen, form, preview)
    except PermissionDenied as refused:  # the person was booked a moment ago
        messages.error(request, str(refused))
        return redirect(back)
    done = _("%(person)s is now marked as %(status)s.") % {
        "person": citizen,
        "status": Citizen.Status(status).label.lower(),
    }
    if seat is not None:
        done += " " + _("Their seat on %(flight)s is free again.") % {"flight": seat.flight.number}
    messages.success(request, done)
    return redirect(back)


def _status_confirmation(
    request: OperationRequest, citizen: Citizen, form: StatusForm, preview: CitizenStatusPreview
) -> HttpResponse:
    status = form.data.get("status", "")
    return render(
        request,
        "people/status_confirm.html",
        {
            "nav": "citizens",
            "citizen": citizen,
            "form": form,
            "status_label": Citizen.Status(status).label,
            "preview": preview,
        },
    )


@operation_page(Permission.EDIT_CITIZENS)
@require_POST
def citizen_contact(request: OperationRequest, code: str) -> HttpResponse:
    """Log a call, message or visit and its outcome, from the quick form on a person's page."""
    citizen = _citizen_or_404(request, code)
    form = ContactForm(request.POST, citizen=citizen)
    if not form.is_valid():
        return _detail_page(request, citizen, contact_form=form)
    entry = contact_log_add(citizen=citizen, by=request.user, **form.cleaned_data)
    messages.success(
        request,
        _("Logged: %(channel)s, %(outcome)s.")
        % {
            "channel": entry.get_channel_display(),
            "outcome": entry.get_outcome_display().lower(),
        },
    )
    detail = reverse("people:detail", args=[request.operation.slug, citizen.reference_code])
    return redirect(f"{detail}#contacts")


@operation_page(Permission.CONFIRM_NEEDS)
@require_POST
def citizen_needs_confirm(request: OperationRequest, code: str) -> HttpResponse:
    """Staff checked the needs a person claimed on the portal: they count from now on."""
    citizen = _citizen_or_404(request, code)
    try:
        citizen_confirm_needs(citizen=citizen, by=request.user)
    except Conflict as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The needs of %(person)s are confirmed.") % {"person": citizen})
    return redirect("people:detail", request.operation.slug, citizen.reference_code)


# Data checks -----------------------------------------------------------------------------

# The names-to-fix list shows this many; fixing them brings the next ones up.
NAMES_TO_FIX_SHOWN = 200


@operation_page(Permission.VIEW)
def names_to_fix(request: OperationRequest) -> HttpResponse:
    """People whose Latin name a passport could not hold, with the transliteration offered.

    A check, not a rewrite: each offer is confirmed against the document on the edit form.
    """
    operation = request.operation
    return render(
        request,
        "people/names_to_fix.html",
        {
            "nav": "citizens",
            "total": names_not_passport_latin(operation).count(),
            "rows": names_to_fix_rows(operation, limit=NAMES_TO_FIX_SHOWN),
        },
    )

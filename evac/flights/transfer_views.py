"""Staff pages for ground transfers: the list with who is stranded between legs, planning,
the manifest with people to put on, boarding taps and status (cancelling tells everyone).
The print view, the files and the boarding page are in transfer_paper_views.

Every view fetches its transfer through the current operation and leaves each write to
evac.flights.transfers; a refusal is the service's own message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from evac.audit.models import AccessAction, AccessObjectKind
from evac.audit.services import access_log_record
from evac.core.errors import Conflict
from evac.core.requests import caller_of
from evac.flights.journeys import journeys_not_connecting, stranded_between_legs
from evac.flights.list_rows import transfer_list_rows_html
from evac.flights.models import TRANSFER_TRANSITIONS, GroundTransfer, TransferSeat
from evac.flights.transfer_forms import TransferForm
from evac.flights.transfer_selectors import (
    operation_transfers,
    transfer_candidates,
    transfer_manifest,
)
from evac.flights.transfers import (
    transfer_book,
    transfer_create,
    transfer_seat_cancel,
    transfer_seat_set_status,
    transfer_set_status,
    transfer_update,
)
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page
from evac.people.models import Citizen, Household


def _transfer(request: OperationRequest, pk: int) -> GroundTransfer:
    return get_object_or_404(operation_transfers(request.operation), pk=pk)


def _to_transfer(request: OperationRequest, transfer: GroundTransfer) -> HttpResponse:
    return redirect("transfers:detail", request.operation.slug, transfer.pk)


@operation_page(Permission.VIEW)
@require_safe
def transfer_list(request: OperationRequest) -> HttpResponse:
    transfers = operation_transfers(request.operation).order_by("-departs_at")
    return render(
        request,
        "flights/transfers/list.html",
        {
            "nav": "flights",
            "rows_html": transfer_list_rows_html(transfers, operation_slug=request.operation.slug),
            "stranded": stranded_between_legs(request.operation),
            "not_connecting": journeys_not_connecting(request.operation),
        },
    )


@operation_page(Permission.PLAN_FLIGHTS)
def transfer_new(request: OperationRequest) -> HttpResponse:
    country = request.operation.country
    form = TransferForm(request.POST or None, country=country)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfer_create(
                operation=request.operation, by=request.user, **form.transfer_fields()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("%(transfer)s is planned.") % {"transfer": transfer})
            return _to_transfer(request, transfer)
    return render(
        request, "flights/transfers/form.html", {"nav": "flights", "form": form, "transfer": None}
    )


@operation_page(Permission.PLAN_FLIGHTS)
def transfer_edit(request: OperationRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    country = request.operation.country
    if request.method == "POST":
        form = TransferForm(request.POST, country=country, transfer=transfer)
        if form.is_valid():
            try:
                transfer = transfer_update(
                    transfer=transfer, by=request.user, **form.transfer_fields()
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except Conflict as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(transfer)s is saved.") % {"transfer": transfer})
                return _to_transfer(request, transfer)
    else:
        form = TransferForm(country=country, transfer=transfer)
    return render(
        request,
        "flights/transfers/form.html",
        {"nav": "flights", "form": form, "transfer": transfer},
    )


def _log_access(request: OperationRequest, transfer: GroundTransfer, action: AccessAction) -> None:
    access_log_record(
        caller=caller_of(request),
        operation=request.operation,
        action=action,
        kind=AccessObjectKind.TRANSFER,
        object_id=transfer.pk,
        label=transfer.record_label,
    )


@operation_page(Permission.VIEW)
@require_safe
def transfer_detail(request: OperationRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    _log_access(request, transfer, AccessAction.MANIFEST_VIEWED)
    can_add = Permission.MANAGE_BOOKINGS in request.permissions and transfer.takes_bookings
    return render(
        request,
        "flights/transfers/detail.html",
        {
            "nav": "flights",
            "transfer": transfer,
            "seats": transfer_manifest(transfer),
            "next_statuses": [
                (s, GroundTransfer.Status(s).label)
                for s in GroundTransfer.Status.values
                if s in TRANSFER_TRANSITIONS[transfer.status]
            ],
            "candidates": transfer_candidates(transfer) if can_add else [],
        },
    )


@operation_page(Permission.PLAN_FLIGHTS)
@require_POST
def transfer_status(request: OperationRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    target = request.POST.get("to", "")
    if target not in GroundTransfer.Status.values:
        raise Http404
    try:
        transfer = transfer_set_status(transfer=transfer, status=target, by=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(transfer)s is now %(status)s.")
            % {"transfer": transfer, "status": transfer.get_status_display().lower()},
        )
    return _to_transfer(request, transfer)


@operation_page(Permission.MANAGE_BOOKINGS)
@require_POST
def transfer_add(request: OperationRequest, pk: int) -> HttpResponse:
    """Put one person (`citizen`) or a whole household (`household`) on the transfer."""
    transfer = _transfer(request, pk)
    ours = {"operation": request.operation}
    citizen = household = None
    if request.POST.get("household"):
        household = get_object_or_404(Household, pk=_int(request.POST["household"]), **ours)
    else:
        citizen = get_object_or_404(Citizen, pk=_int(request.POST.get("citizen")), **ours)
    try:
        seats = transfer_book(
            transfer=transfer,
            citizen=citizen,
            household=household,
            by=request.user,
            unaccompanied_reason=request.POST.get("unaccompanied_reason", "")[:300],
        )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("On %(transfer)s: %(names)s.")
            % {"transfer": transfer, "names": ", ".join(str(s.citizen) for s in seats)},
        )
    return _to_transfer(request, transfer)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


def _seat(request: OperationRequest, transfer: GroundTransfer) -> TransferSeat:
    return get_object_or_404(transfer.seats, pk=_int(request.POST.get("seat")))


@operation_page(Permission.MANAGE_BOOKINGS)
@require_POST
def transfer_seat_cancel_view(request: OperationRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    seat = _seat(request, transfer)
    try:
        transfer_seat_cancel(
            seat=seat,
            by=request.user,
            unaccompanied_reason=request.POST.get("unaccompanied_reason", "")[:300],
        )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The seat of %(name)s is free.") % {"name": seat.citizen})
    return _to_transfer(request, transfer)


@operation_page(Permission.HANDLE_PASSENGERS)
@require_POST
def transfer_board(request: OperationRequest, pk: int) -> HttpResponse:
    """Boarding mode: an officer marks a person boarded (or a no-show) at the bus or train."""
    transfer = _transfer(request, pk)
    seat = _seat(request, transfer)
    status = request.POST.get("status", "")
    if status not in (TransferSeat.Status.BOARDED, TransferSeat.Status.NO_SHOW):
        raise Http404
    try:
        seat = transfer_seat_set_status(seat=seat, status=status, by=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": seat.citizen, "status": seat.get_status_display().lower()},
        )
    if request.POST.get("back") != "boarding":
        return _to_transfer(request, transfer)
    query = request.POST.get("q", "")
    url = reverse("transfers:boarding", args=[request.operation.slug, transfer.pk])
    return redirect(f"{url}{'?' + urlencode({'q': query}) if query else ''}#seat-{seat.pk}")

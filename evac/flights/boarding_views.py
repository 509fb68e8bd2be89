"""Boarding mode: the gate's tablet page, boarding one passenger, and the counts it polls.

Officers and coordinators check people in and board them here; every write goes through
evac.flights.services.
"""

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from evac.audit.models import AccessAction
from evac.core.errors import Conflict
from evac.flights.forms import GateForm
from evac.flights.models import Booking, Flight, TransferSeat
from evac.flights.selectors import (
    GateCounts,
    gate_counts,
    gate_search_text,
    gate_statuses,
    manifest_on_board,
)
from evac.flights.services import booking_set_status
from evac.flights.views import _checked, _flight, _log_access
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page


@operation_page(Permission.HANDLE_PASSENGERS)
@require_safe
def boarding(request: OperationRequest, pk: int) -> HttpResponse:
    flight = _flight(request, pk)
    context: dict[str, Any] = {"nav": "flights", "flight": flight}
    if flight.status != Flight.Status.BOARDING:
        context["can_start_boarding"] = flight.can_become(Flight.Status.BOARDING)
        return render(request, "flights/boarding_closed.html", context)
    # The search (q) is not logged: it is typed names.
    _log_access(request, flight, AccessAction.BOARDING_OPENED)
    seats = list(manifest_on_board(flight))
    context["document_checks"] = _checked(flight, seats)
    context.update(gate_page(seats, request.GET.get("q", "")))
    return render(request, "flights/boarding.html", context)


def gate_page(seats: Sequence[Booking | TransferSeat], query: str) -> dict[str, Any]:
    """What a boarding page shows of its seats (a flight's or a transfer's): each with
    whether the search matches it, and the counts.

    Everyone is on the page and the search only hides rows, so boarding.js can filter
    instantly over the whole list after a search made without it.
    """
    query = query.strip()
    words = query.casefold().split()
    rows = [(seat, all(w in gate_search_text(seat) for w in words)) for seat in seats]
    statuses = Counter(seat.status for seat in seats)
    counts = GateCounts(
        boarded=statuses[Booking.Status.BOARDED],
        no_show=statuses[Booking.Status.NO_SHOW],
        total=len(seats),
    )
    return {
        "query": query,
        "rows": rows,
        "matching": sum(shown for _seat, shown in rows),
        "counts": counts,
    }


def _wants_json(request: OperationRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@operation_page(Permission.HANDLE_PASSENGERS)
@require_POST
def board(request: OperationRequest, pk: int, booking_pk: int) -> HttpResponse:
    """One tap at the gate: boarded or no-show. JSON for boarding.js, a redirect without JS."""
    flight = _flight(request, pk)
    booking = get_object_or_404(flight.bookings.select_related("citizen"), pk=booking_pk)
    form = GateForm(request.POST)
    error, status_code = "", 200
    if not form.is_valid():
        error, status_code = _("Choose boarded or no-show."), 400
    else:
        try:
            booking = booking_set_status(
                booking=booking, status=form.cleaned_data["status"], by=request.user
            )
        except Conflict as conflict:
            error, status_code = conflict.message, 409
            booking.refresh_from_db(fields=["status"])  # show the row as it really is
    if _wants_json(request):
        return _gate_json(flight, booking, error, status_code)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": booking.citizen, "status": booking.get_status_display().lower()},
        )
    query = request.POST.get("q", "")
    url = reverse("flights:boarding", args=[request.operation.slug, flight.pk])
    return redirect(f"{url}{'?' + urlencode({'q': query}) if query else ''}#seat-{booking.pk}")


def _gate_json(flight: Flight, booking: Booking, error: str, status_code: int) -> JsonResponse:
    payload: dict[str, Any] = {
        "ok": not error,
        "booking": {
            "id": booking.pk,
            "status": booking.status,
            "label": booking.get_status_display(),
        },
        "counts": gate_counts(flight).as_dict(),
    }
    if error:
        payload["error"] = error
    return JsonResponse(payload, status=status_code)


@operation_page(Permission.HANDLE_PASSENGERS)
@require_safe
def boarding_counts(request: OperationRequest, pk: int) -> JsonResponse:
    """What a second tablet at the gate polls to stay in step with the first.

    Seat ids and statuses only, no names: not an access to anyone's record, so not logged
    (it runs every few seconds; opening the boarding page was).
    """
    flight = _flight(request, pk)
    response = JsonResponse(
        {
            "flight_status": flight.status,
            "counts": gate_counts(flight).as_dict(),
            "statuses": {str(k): v for k, v in gate_statuses(flight).items()},
            "labels": dict(Booking.Status.choices),
        }
    )
    response["Cache-Control"] = "no-store"
    return response

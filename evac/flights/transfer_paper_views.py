"""A ground transfer's manifest on paper and in files, and its boarding page: what flights
have (flights.views' print and export, flights.boarding_views), for a train or bus.

The files come from flights.transfer_files, the boarding page's rows and counts from
flights.boarding_views.gate_page, and each boarding tap goes through
evac.flights.transfers (transfer_views.transfer_board).
"""

from collections import Counter
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from evac.audit.models import AccessAction
from evac.core.clock import now
from evac.core.responses import file_response
from evac.flights import manifest_files, transfer_files
from evac.flights.boarding_views import gate_page
from evac.flights.models import GroundTransfer, TransferSeat
from evac.flights.transfer_selectors import transfer_manifest
from evac.flights.transfer_views import _log_access, _transfer
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page


@operation_page(Permission.VIEW)
@require_safe
def transfer_print(request: OperationRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    _log_access(request, transfer, AccessAction.MANIFEST_PRINTED)
    seats = transfer_manifest(transfer)
    statuses = Counter(seat.status for seat in seats)
    cancelled = statuses.pop(TransferSeat.Status.CANCELLED, 0)
    return render(
        request,
        "flights/transfers/print.html",
        {
            "transfer": transfer,
            "seats": [seat for seat in seats if seat.status != TransferSeat.Status.CANCELLED],
            "totals": [
                (s.label, statuses[s.value])
                for s in TransferSeat.Status
                if s != TransferSeat.Status.CANCELLED
            ],
            "on_board": sum(statuses.values()),
            "cancelled": cancelled,
            "printed_at": now(),
        },
    )


@operation_page(Permission.EXPORT_DOCUMENTS)
@require_GET  # not HEAD: that would log a copy nobody received
def transfer_export(request: OperationRequest, pk: int, fmt: str) -> HttpResponse:
    """The transfer's manifest as CSV or XLSX for the conductor or the bus operator."""
    if fmt not in transfer_files.FORMATS:
        raise Http404
    transfer = _transfer(request, pk)
    _log_access(request, transfer, manifest_files.ACCESS_ACTIONS[fmt])
    file = transfer_files.transfer_manifest_file(transfer=transfer, format=fmt, by=request.user)
    return file_response(
        content=file.content, content_type=file.content_type, filename=file.filename
    )


@operation_page(Permission.HANDLE_PASSENGERS)
@require_safe
def transfer_boarding(request: OperationRequest, pk: int) -> HttpResponse:
    """Boarding mode for a bus or train: officers check each person on, or mark a no-show."""
    transfer = _transfer(request, pk)
    context: dict[str, Any] = {"nav": "flights", "transfer": transfer}
    if transfer.status != GroundTransfer.Status.BOARDING:
        return render(request, "flights/transfers/boarding.html", context)
    # The search (q) is not logged: it is typed names.
    _log_access(request, transfer, AccessAction.BOARDING_OPENED)
    seats = [seat for seat in transfer_manifest(transfer) if seat.is_active]
    context.update(gate_page(seats, request.GET.get("q", "")))
    return render(request, "flights/transfers/boarding.html", context)

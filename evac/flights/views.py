"""Staff pages for flights: the list, planning, the manifest, filling seats, the gate, files.

Every view is wrapped in `operation_page`, fetches its flight through the current operation
and leaves every write to evac.flights.services.
"""

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_safe

from evac.audit.models import AccessAction, AccessObjectKind
from evac.audit.services import access_log_record
from evac.core.clock import now
from evac.core.errors import Conflict
from evac.core.requests import caller_of
from evac.core.responses import file_response
from evac.flights import manifest_files
from evac.flights.checks import attach, issue_counts, passenger_checks
from evac.flights.fill import FillResult, flight_fill_from_waiting_list
from evac.flights.forms import FlightForm
from evac.flights.journeys import connecting_transfers, journey_book_from_where_they_are
from evac.flights.list_rows import flight_list_rows_html
from evac.flights.minors_kept import households_alone_count, households_with_minors_alone
from evac.flights.models import FLIGHT_TRANSITIONS, Booking, Flight
from evac.flights.offer_selectors import offer_summary
from evac.flights.previews import flight_status_preview
from evac.flights.rows import manifest_rows, manifest_rows_html
from evac.flights.selectors import (
    WaitingTotals,
    booking_counts,
    flights_upcoming_and_past,
    manifest_on_board,
    manifest_passengers,
    operation_flights,
    paxlst_lists_boarded_only,
    recent_exports,
    waiting_totals,
    waiting_units,
)
from evac.flights.services import (
    booking_cancel,
    booking_create,
    flight_create,
    flight_set_status,
    flight_update,
    household_book,
)
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page
from evac.people.models import Citizen, Household
from evac.people.selectors import people_counts
from evac.places.models import City

FLIGHTS_PER_PAGE = 50
# The add-passengers page lists this many units; "fill" and the city filter reach the rest.
WAITING_UNITS_SHOWN = 200
# A fill names the units it skipped (and why) in messages, up to this many.
SKIPPED_SHOWN = 10

_F = Flight.Status
# What the button that moves a flight to each status says.
STATUS_ACTIONS = {
    _F.PLANNED: gettext_lazy("Back to planned"),
    # The action, not the status of the same name: the two read differently in Ukrainian.
    _F.OPEN: pgettext_lazy("flight action", "Open for booking"),
    _F.BOARDING: gettext_lazy("Start boarding"),
    _F.DEPARTED: gettext_lazy("Mark departed"),
    _F.LANDED: gettext_lazy("Mark landed"),
    _F.CANCELLED: gettext_lazy("Cancel the flight"),
}
STATUS_ORDER = list(Flight.Status.values)


def _flight(request: OperationRequest, pk: int) -> Flight:
    return get_object_or_404(operation_flights(request.operation), pk=pk)


def _to_manifest(request: OperationRequest, flight: Flight) -> HttpResponse:
    return redirect("flights:manifest", request.operation.slug, flight.pk)


def _checked(flight: Flight, bookings: list[Booking]) -> dict[str, int]:
    """Hang each passenger's codes and document flags on their booking; the header's counts."""
    checks = passenger_checks(flight, bookings)
    attach(bookings, checks)
    return issue_counts(checks, bookings)


def _log_access(request: OperationRequest, flight: Flight, action: AccessAction) -> None:
    access_log_record(
        caller=caller_of(request),
        operation=request.operation,
        action=action,
        kind=AccessObjectKind.FLIGHT,
        object_id=flight.pk,
        label=flight.record_label,
    )


def _next_statuses(flight: Flight) -> list[str]:
    return sorted(FLIGHT_TRANSITIONS[flight.status], key=STATUS_ORDER.index)


# The list and planning ----------------------------------------------------------------


@operation_page(Permission.VIEW)
@require_safe
def flight_list(request: OperationRequest) -> HttpResponse:
    upcoming, past = flights_upcoming_and_past(request.operation)
    showing_past = request.GET.get("when") == "past"
    page = Paginator(past if showing_past else upcoming, FLIGHTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "flights/list.html",
        {
            "nav": "flights",
            "page": page,
            "rows_html": flight_list_rows_html(
                page.object_list, operation_slug=request.operation.slug, moment=now()
            ),
            "showing_past": showing_past,
            "upcoming_count": upcoming.count(),
            "past_count": past.count(),
        },
    )


@operation_page(Permission.PLAN_FLIGHTS)
def flight_new(request: OperationRequest) -> HttpResponse:
    form = FlightForm(request.POST) if request.method == "POST" else FlightForm()
    if request.method == "POST" and form.is_valid():
        try:
            flight = flight_create(
                operation=request.operation, by=request.user, **form.flight_fields()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Flight %(number)s created.") % {"number": flight.number})
            return _to_manifest(request, flight)
    return render(request, "flights/form.html", {"nav": "flights", "form": form, "flight": None})


@operation_page(Permission.PLAN_FLIGHTS)
def flight_edit(request: OperationRequest, pk: int) -> HttpResponse:
    flight = _flight(request, pk)
    if request.method == "POST":
        form = FlightForm(request.POST, flight=flight)
        if form.is_valid():
            try:
                flight = flight_update(flight=flight, by=request.user, **form.flight_fields())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Flight %(number)s saved.") % {"number": flight.number})
                return _to_manifest(request, flight)
    else:
        form = FlightForm(flight=flight)
    return render(request, "flights/form.html", {"nav": "flights", "form": form, "flight": flight})


@operation_page(Permission.PLAN_FLIGHTS)
def flight_status(request: OperationRequest, pk: int) -> HttpResponse:
    """GET ?to=<status>: what that change would do, to confirm; POST: make it."""
    flight = _flight(request, pk)
    if request.method != "POST":
        context = _status_confirmation(flight, request.GET.get("to", ""))
        return render(request, "flights/status_confirm.html", context)
    target = request.POST.get("to", "")
    if target not in Flight.Status.values:
        raise Http404
    try:
        flight = flight_set_status(flight=flight, status=target, by=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Flight %(number)s is now %(status)s.")
            % {"number": flight.number, "status": flight.get_status_display().lower()},
        )
    return _to_manifest(request, flight)


def _status_confirmation(flight: Flight, target: str) -> dict[str, Any]:
    context: dict[str, Any] = {
        "nav": "flights",
        "flight": flight,
        "choices": [(s, STATUS_ACTIONS[s]) for s in _next_statuses(flight)],
    }
    if target in Flight.Status.values:
        context.update(
            target=target,
            target_label=Flight.Status(target).label,
            action_label=STATUS_ACTIONS[target],
            preview=flight_status_preview(flight=flight, status=target),
        )
    return context


# The manifest ---------------------------------------------------------------------------


@operation_page(Permission.VIEW)
@require_safe
def manifest(request: OperationRequest, pk: int) -> HttpResponse:
    flight = _flight(request, pk)
    _log_access(request, flight, AccessAction.MANIFEST_VIEWED)
    bookings = list(manifest_passengers(flight))
    counts = Counter(booking.status for booking in bookings)
    document_checks = _checked(flight, bookings)
    rows = manifest_rows(bookings, operation_slug=request.operation.slug, flight_pk=pk)
    return render(
        request,
        "flights/manifest.html",
        {
            "nav": "flights",
            "flight": flight,
            "bookings": bookings,
            "rows": rows,
            "rows_html": manifest_rows_html(
                rows,
                zone=flight.departure_airport.zone,
                # Translated once for the page, not once a row.
                booked_format=_("j M H:i T"),
                can_cancel=Permission.MANAGE_BOOKINGS in request.permissions,
            ),
            "status_counts": [(s.label, counts[s.value]) for s in Booking.Status],
            "next_statuses": [(s, STATUS_ACTIONS[s]) for s in _next_statuses(flight)],
            "exports": recent_exports(flight),
            "paxlst_boarded_only": paxlst_lists_boarded_only(flight),
            "document_checks": document_checks,
            "offers": offer_summary(flight),
        },
    )


@operation_page(Permission.MANAGE_BOOKINGS)
def cancel_seat(request: OperationRequest, pk: int, booking_pk: int) -> HttpResponse:
    flight = _flight(request, pk)
    booking = get_object_or_404(flight.bookings.select_related("citizen"), pk=booking_pk)
    if request.method == "POST":
        try:
            booking_cancel(
                booking=booking,
                by=request.user,
                unaccompanied_reason=request.POST.get("unaccompanied_reason", "")[:300],
            )
        except Conflict as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Seat on %(flight)s cancelled: %(name)s is on the waiting list again.")
                % {"name": booking.citizen, "flight": flight.number},
            )
        return _to_manifest(request, flight)
    return render(
        request,
        "flights/cancel_seat.html",
        {"nav": "flights", "flight": flight, "booking": booking},
    )


# Filling seats from the waiting list ---------------------------------------------------


@operation_page(Permission.MANAGE_BOOKINGS)
def add_passengers(request: OperationRequest, pk: int) -> HttpResponse:
    flight = _flight(request, pk)
    city = _chosen_city(request)
    if request.method == "POST":
        if request.POST.get("journey"):
            _book_journey(request, flight, request.POST["journey"])
        elif request.POST.get("action") == "fill":
            _fill(request, flight, city)
        else:
            _book_units(request, flight, request.POST.getlist("unit"))
        query = f"?{urlencode({'city': city.pk})}" if city else ""
        return redirect(
            reverse("flights:add_passengers", args=[request.operation.slug, flight.pk]) + query
        )
    units, totals = [], WaitingTotals(units=0, people=0)
    if flight.takes_bookings:
        after = request.GET.get("after", "")
        units = waiting_units(
            request.operation,
            city=city,
            limit=WAITING_UNITS_SHOWN,
            after=int(after) if after.isdigit() else None,
        )
        totals = waiting_totals(request.operation, city=city)
    return render(
        request,
        "flights/add_passengers.html",
        {
            "nav": "flights",
            "flight": flight,
            "city": city,
            "cities": people_counts(request.operation).waiting_by_city,
            "units": units,
            "unit_rows": _with_legs(flight, units),
            "units_total": totals.units,
            "units_after": request.GET.get("after"),
            "units_more": len(units) == WAITING_UNITS_SHOWN,
            "people_total": totals.people,
            **_households_alone(request.operation, flight, city),
        },
    )


# Households with children alone named above the waiting list (the rest are counted).
HOUSEHOLDS_ALONE_NAMED = 10


def _households_alone(operation, flight: Flight, city) -> dict:
    """The warning above the waiting list: how many households have children alone, and
    the first few of them, from the stored rows (flights.minors_kept)."""
    if not flight.takes_bookings:
        return {"households_alone": [], "households_alone_count": 0}
    named = households_with_minors_alone(operation, city=city, limit=HOUSEHOLDS_ALONE_NAMED)
    return {
        "households_alone": named,
        "households_alone_count": households_alone_count(operation, city=city),
    }


def _with_legs(flight: Flight, units: list) -> list[tuple]:
    """Each unit with the transfers that would take it to the flight: None for a unit in the
    flight's city, else the connecting ones (maybe none), soonest first."""
    legs = connecting_transfers(flight) if units else {}
    here = flight.departure_airport.city_id
    rows = []
    for unit in units:
        city_id = unit.members[0].current_city_id
        rows.append((unit, None if city_id in (here, None) else legs.get(city_id, [])))
    return rows


def _book_journey(request: OperationRequest, flight: Flight, key: str) -> None:
    """Book one unit on the flight with the transfer that takes them there."""
    kind, _sep, pk = key.partition(":")
    found = {"operation": request.operation, "pk": pk if pk.isdigit() else 0}
    people = {"citizen": None, "household": None}
    if kind == "household":
        people["household"] = get_object_or_404(Household, **found)
    else:
        people["citizen"] = get_object_or_404(Citizen, **found)
    try:
        journey = journey_book_from_where_they_are(flight=flight, by=request.user, **people)
    except Conflict as error:
        messages.error(request, error.message)
        return
    legs = ", ".join(sorted({str(leg.transfer) for leg in journey.legs}))
    messages.success(
        request,
        _("Booked %(n)d on %(flight)s with %(legs)s.")
        % {"n": len(journey.bookings), "flight": flight.number, "legs": legs or "—"},
    )


def _chosen_city(request: OperationRequest) -> City | None:
    city_id = (request.POST if request.method == "POST" else request.GET).get("city", "")
    if not city_id.isdigit():
        return None
    return get_object_or_404(City, pk=city_id)


def _book_units(request: OperationRequest, flight: Flight, keys: list[str]) -> None:
    """Book the units the coordinator ticked, in the order listed; one failure stops none."""
    if not keys:
        messages.error(request, _("Tick the people or households to book first."))
        return
    booked, problems = 0, []
    reason = request.POST.get("unaccompanied_reason", "")[:300]
    for key in keys:
        try:
            booked += _book_unit(request, flight, key, reason=reason)
        except Conflict as error:
            problems.append(error.message)
    if booked:
        messages.success(
            request,
            ngettext(
                "Booked %(n)d person on %(flight)s.",
                "Booked %(n)d people on %(flight)s.",
                booked,
            )
            % {"n": booked, "flight": flight.number},
        )
    for problem in problems:
        messages.error(request, problem)


def _book_unit(request: OperationRequest, flight: Flight, key: str, *, reason: str) -> int:
    """Book "household:<pk>" together or "citizen:<pk>" alone; how many seats it took.
    `reason`: why a minor among them may fly without an adult of the household, if one is."""
    kind, _sep, pk = key.partition(":")
    operation = request.operation
    by = request.user
    if kind == "household" and pk.isdigit():
        household = operation.households.filter(pk=pk).first()
        if household is not None:
            return len(
                household_book(
                    flight=flight, household=household, by=by, unaccompanied_reason=reason
                )
            )
    elif kind == "citizen" and pk.isdigit():
        citizen = operation.citizens.filter(pk=pk).first()
        if citizen is not None:
            booking_create(flight=flight, citizen=citizen, by=by, unaccompanied_reason=reason)
            return 1
    raise Conflict(_("Somebody on the list could not be found; reload the page."))


def _fill(request: OperationRequest, flight: Flight, city: City | None) -> None:
    try:
        result = flight_fill_from_waiting_list(flight=flight, by=request.user, city=city)
    except Conflict as error:
        messages.error(request, error.message)
        return
    messages.success(request, _fill_summary(flight, result))
    for skipped in result.skipped[:SKIPPED_SHOWN]:
        members = ", ".join(str(m) for m in skipped.unit.members)
        messages.warning(
            request, _("Skipped %(who)s: %(why)s") % {"who": members, "why": skipped.reason}
        )
    if len(result.skipped) > SKIPPED_SHOWN:
        messages.warning(
            request,
            _("…and %(n)d more skipped.") % {"n": len(result.skipped) - SKIPPED_SHOWN},
        )


def _fill_summary(flight: Flight, result: FillResult) -> str:
    return ngettext(
        "Booked %(n)d person on %(flight)s in waiting-list order.",
        "Booked %(n)d people on %(flight)s in waiting-list order.",
        result.booked_count,
    ) % {"n": result.booked_count, "flight": flight.number}


# The gate ------------------------------------------------------------------------------


@operation_page(Permission.VIEW)
@require_safe
def print_manifest(request: OperationRequest, pk: int) -> HttpResponse:
    flight = _flight(request, pk)
    _log_access(request, flight, AccessAction.MANIFEST_PRINTED)
    counts = booking_counts(flight)
    bookings = list(manifest_on_board(flight))
    document_checks = _checked(flight, bookings)
    return render(
        request,
        "flights/print.html",
        {
            "flight": flight,
            "bookings": bookings,
            "document_checks": document_checks,
            "totals": [
                (s.label, counts[s.value]) for s in Booking.Status if s != Booking.Status.CANCELLED
            ],
            "on_board": sum(n for s, n in counts.items() if s != Booking.Status.CANCELLED),
            "cancelled": counts[Booking.Status.CANCELLED],
            "printed_at": now(),
        },
    )


@operation_page(Permission.EXPORT_DOCUMENTS)
@require_GET  # not HEAD: that would record a copy nobody received
def export(request: OperationRequest, pk: int, fmt: str) -> HttpResponse:
    """The manifest as a file for the carrier and border control (officers, coordinators).

    A plain download link (GET): taking a copy changes nothing in the operation, but it is
    written down, like an access log, so the manifest page can say who took one and when.
    """
    if fmt not in manifest_files.FORMATS:
        raise Http404
    flight = _flight(request, pk)
    _log_access(request, flight, manifest_files.ACCESS_ACTIONS[fmt])
    file = manifest_files.manifest_file_export(flight=flight, format=fmt, by=request.user)
    return file_response(
        content=file.content, content_type=file.content_type, filename=file.filename
    )

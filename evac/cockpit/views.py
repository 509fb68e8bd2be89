"""The staff home, an operation's dashboard (where things stand, and a link from every number
to its list), its advice to citizens, and its closing page."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from evac.cockpit.charts import bar_line_chart
from evac.cockpit.dashboard import Timeline, not_contacted_days_default, operation_dashboard
from evac.cockpit.map_data import OperationMap, operation_map
from evac.cockpit.map_svg import operation_map_svg
from evac.cockpit.selectors import operation_overviews, retention_overview
from evac.core import clock
from evac.core.errors import Conflict
from evac.flights.closing import (
    operation_close,
    operation_reopen,
    operation_schedule_anonymisation,
)
from evac.flights.moves import flight_move_departure, flights_from_suspended_airports
from evac.flights.selectors import operation_flights
from evac.operations.access import Permission, is_headquarters, operations_visible_to
from evac.operations.models import Operation
from evac.operations.services import airport_set_status, operation_airports, operation_set_advice
from evac.operations.web import OperationRequest, operation_page
from evac.people.forms import DateInput
from evac.places.models import Airport


@require_safe
@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Straight to the dashboard of one's only active operation; otherwise a choice of them."""
    operations = list(operations_visible_to(request.user).order_by("-starts_on", "name"))
    active = [op for op in operations if op.status == Operation.Status.ACTIVE]
    # Headquarters always land here: the ministry's view of every crisis at once.
    headquarters = is_headquarters(request.user)
    if len(active) == 1 and not headquarters:
        return redirect("operations:dashboard", op=active[0].slug)
    return render(
        request,
        "cockpit/staff_home.html",
        {
            "overviews": operation_overviews(active),
            "closed": [op for op in operations if op.status != Operation.Status.ACTIVE],
            "headquarters": headquarters,
        },
    )


class NotContactedForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Not contacted for more than"),
        min_value=1,
        max_value=365,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


@operation_page(Permission.VIEW)
def dashboard(request: OperationRequest) -> HttpResponse:
    default_days = not_contacted_days_default()
    form = NotContactedForm(
        request.GET if "days" in request.GET else None, initial={"days": default_days}
    )
    # A mistyped number shows the error next to the field and the default numbers below it.
    days = form.cleaned_data["days"] if form.is_bound and form.is_valid() else default_days
    now = clock.now()
    board = operation_dashboard(request.operation, days=days, now=now)
    the_map = operation_map(
        request.operation,
        people=board.people,
        flights_ahead=board.flights_ahead,
        transfer_city_ids=board.transfer_city_ids,
    )
    return render(
        request,
        "cockpit/dashboard.html",
        {
            "nav": "dashboard",
            "dashboard": board,
            "days_form": form,
            "now": now,
            "evacuations_chart": evacuations_chart(board.timeline),
            "operation_map": the_map,
            "operation_map_svg": dashboard_map_svg(request.operation, the_map),
        },
    )


def dashboard_map_svg(operation: Operation, the_map: OperationMap) -> SafeString:
    waiting_list = reverse("people:list", args=[operation.slug])
    return operation_map_svg(
        the_map,
        waiting_url=lambda city_id: f"{waiting_list}?status=waiting&city={city_id}",
        title=_("Map of the operation"),
    )


def evacuations_chart(timeline: Timeline) -> SafeString:
    if timeline.days:
        first, last = timeline.days[0], timeline.days[-1]
        description = _(
            "%(evacuated)d people evacuated in total by %(last)s; %(registered)d people "
            "registered between %(first)s and %(last)s."
        ) % {
            "evacuated": timeline.evacuated_total[-1],
            "registered": sum(timeline.registered),
            "first": date_format(first, _("j F Y")),
            "last": date_format(last, _("j F Y")),
        }
    else:
        description = _("Nobody has registered or been evacuated yet.")
    return bar_line_chart(
        chart_id="evacuations-chart",
        title=_("Evacuations over time"),
        description=description,
        labels=[date_format(day, _("j M")) for day in timeline.days],
        bars=timeline.registered,
        line=timeline.evacuated_total,
        bar_name=_("registered that day"),
        line_name=_("evacuated in total"),
        empty_text=_("No registrations or evacuations yet."),
    )


class AdviceForm(forms.Form):
    advice = forms.CharField(
        label=gettext_lazy("Advice to citizens"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Shown first on the operation's public page, in plain words."),
    )


@operation_page(Permission.PLAN_FLIGHTS)
def advice_edit(request: OperationRequest) -> HttpResponse:
    """The embassy's current advice on the public portal, written by a coordinator."""
    operation = request.operation
    form = AdviceForm(request.POST or None, initial={"advice": operation.advice})
    if request.method == "POST" and form.is_valid():
        try:
            operation_set_advice(
                operation=operation, advice=form.cleaned_data["advice"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The advice on the public page is updated."))
            return redirect("operations:advice", operation.slug)
    return render(request, "cockpit/advice.html", {"nav": "dashboard", "form": form})


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand, close the operation"),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


class AnonymiseOnForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Anonymise personal data on"), widget=DateInput())

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].widget.attrs["min"] = today.isoformat()


@operation_page(Permission.MANAGE_OPERATION)
def closing(request: OperationRequest) -> HttpResponse:
    """Close the operation, move the day its personal data is anonymised, or reopen it."""
    operation = request.operation
    today = clock.today()
    action = request.POST.get("action") if request.method == "POST" else None
    close_form = CloseForm(request.POST if action == "close" else None)
    date_form = AnonymiseOnForm(
        request.POST if action == "schedule" else None,
        today=today,
        initial={"on": operation.anonymise_on},
    )
    try:
        if action == "close" and close_form.is_valid():
            operation_close(operation=operation, by=request.user)
            messages.success(request, _("The operation is closed."))
        elif action == "schedule" and date_form.is_valid():
            operation_schedule_anonymisation(
                operation=operation, on=date_form.cleaned_data["on"], by=request.user
            )
            messages.success(request, _("The anonymisation date is changed."))
        elif action == "reopen":
            operation_reopen(operation=operation, by=request.user)
            messages.success(request, _("The operation is active again."))
        else:
            return _closing_page(request, today, close_form, date_form)
    except ValidationError as error:
        (date_form if action == "schedule" else close_form).add_error(None, error)
        return _closing_page(request, today, close_form, date_form)
    except Conflict as refusal:  # InvalidTransition is a Conflict
        messages.error(request, refusal.message)
    return redirect("operations:closing", operation.slug)


def _closing_page(
    request: OperationRequest, today: date, close_form: CloseForm, date_form: AnonymiseOnForm
) -> HttpResponse:
    return render(
        request,
        "cockpit/closing.html",
        {
            "nav": "dashboard",
            "retention": retention_overview(request.operation, today=today),
            "close_form": close_form,
            "date_form": date_form,
        },
    )


class AirportStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Airport.Status.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Why, and until when if known. Shown on the public page."),
    )


@operation_page(Permission.VIEW)
def airports(request: OperationRequest) -> HttpResponse:
    """The operation's airports, open or suspended, with who changed that and when."""
    rows = [
        (
            airport,
            AirportStatusForm(initial={"status": airport.status, "note": airport.status_note}),
        )
        for airport in operation_airports(request.operation)
    ]
    open_airports = [airport for airport, _form in rows if airport.is_open]
    stranded = [
        (flight, [a for a in open_airports if a.pk != flight.arrival_airport_id])
        for flight in flights_from_suspended_airports(request.operation)
    ]
    return render(
        request,
        "cockpit/airports.html",
        {"nav": "dashboard", "rows": rows, "stranded_flights": stranded},
    )


@operation_page(Permission.PLAN_FLIGHTS)
@require_POST
def flight_move(request: OperationRequest, pk: int) -> HttpResponse:
    """One click: a flight from a suspended airport leaves from another one; its passengers
    are told (flights.moves)."""
    flight = get_object_or_404(operation_flights(request.operation), pk=pk)
    airport = get_object_or_404(
        operation_airports(request.operation), pk=request.POST.get("airport") or 0
    )
    try:
        flight = flight_move_departure(flight=flight, airport=airport, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Flight %(number)s now leaves from %(airport)s; its passengers are told.")
            % {"number": flight.number, "airport": airport},
        )
    return redirect("operations:airports", request.operation.slug)


@operation_page(Permission.MANAGE_AIRPORTS)
def airport_status(request: OperationRequest, iata: str) -> HttpResponse:
    """Suspend or reopen one airport, with a note."""
    airport = get_object_or_404(operation_airports(request.operation), iata_code=iata)
    form = AirportStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            airport_set_status(
                operation=request.operation,
                airport=airport,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done = (
                _("%(airport)s is open again.")
                if airport.is_open
                else _("%(airport)s is suspended.")
            )
            messages.success(request, done % {"airport": airport})
    elif request.method == "POST":
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    if request.POST.get("return_to") == "places":  # changed from the Places page
        return redirect("operations:places", request.operation.slug)
    return redirect("operations:airports", request.operation.slug)

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evac.core.text import LONG_TEXT_LENGTH
from evac.flights.models import REPORT_MINUTES_RANGE, Booking, Flight, default_report_minutes
from evac.places.models import Airport

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time without a zone: the form gives it the airport's zone afterwards.

    Django would read it in the server's zone (UTC); an evacuation flight's times are
    written in the local time of the airport it leaves from or lands at.
    """

    widget = forms.DateTimeInput(format=LOCAL_INPUT_FORMAT, attrs={"type": "datetime-local"})

    def to_python(self, value: Any) -> datetime | None:
        with timezone.override(UTC):
            moment = super().to_python(value)
        return moment.replace(tzinfo=None) if moment else None

    def prepare_value(self, value: Any) -> Any:
        return value  # shown as typed or as given, never moved to the server's zone


class AirportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, airport: Airport) -> str:
        label = f"{airport.iata_code} — {airport.city} ({airport.name})"
        if not airport.is_open:
            label += " — " + str(_("suspended"))
        return label


class FlightForm(forms.Form):
    """Create or edit a flight; times are typed in each airport's local time."""

    number = forms.CharField(label=_("Flight number"), max_length=12)
    carrier = forms.CharField(label=_("Carrier"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Flight.Kind.choices)
    departure_airport = AirportChoiceField(
        label=_("From"), queryset=Airport.objects.select_related("city")
    )
    departs_local = LocalDateTimeField(
        label=_("Departs (local time)"),
        help_text=_("Local time at the departure airport, as on the ticket."),
    )
    arrival_airport = AirportChoiceField(
        label=_("To"), queryset=Airport.objects.select_related("city")
    )
    arrives_local = LocalDateTimeField(
        label=_("Arrives (local time)"),
        help_text=_("Local time at the arrival airport, as on the ticket."),
    )
    report_minutes_before = forms.IntegerField(
        label=_("Be at the airport (minutes before departure)"),
        required=False,
        min_value=REPORT_MINUTES_RANGE[0],
        max_value=REPORT_MINUTES_RANGE[1],
        initial=default_report_minutes,
        help_text=_(
            "180 is 3 hours. Messages say “be at the airport by” this time, and reminders "
            "count back from it. Left empty: the default (3 hours)."
        ),
    )
    seats_total = forms.IntegerField(
        label=_("Seats for evacuees"),
        min_value=1,
        help_text=_("Seats the carrier gives the operation, not the aircraft's capacity."),
    )
    offers = forms.ChoiceField(
        label=_("Free seats"),
        choices=Flight.Offers.choices,
        initial=Flight.Offers.ASK,
        required=False,  # left out (an older client, the API's form): kept as it is
        help_text=_("Seats that come free are offered to the waiting list in turn."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=LONG_TEXT_LENGTH,
        widget=forms.Textarea({"rows": 3}),
    )

    # Where the model's field names appear in a service's errors, the form's own names.
    FIELD_FOR_MODEL_FIELD = {"departs_at": "departs_local", "arrives_at": "arrives_local"}

    def __init__(self, *args: Any, flight: Flight | None = None, **kwargs: Any) -> None:
        self.flight = flight
        if flight is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(flight)
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(flight: Flight) -> dict[str, Any]:
        return {
            "number": flight.number,
            "carrier": flight.carrier,
            "kind": flight.kind,
            "departure_airport": flight.departure_airport_id,
            "departs_local": flight.departs_local.replace(tzinfo=None),
            "arrival_airport": flight.arrival_airport_id,
            "arrives_local": flight.arrives_local.replace(tzinfo=None),
            "report_minutes_before": flight.report_minutes_before,
            "seats_total": flight.seats_total,
            "notes": flight.notes,
            "offers": flight.offers,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        departure, arrival = data.get("departure_airport"), data.get("arrival_airport")
        if departure and arrival and departure == arrival:
            self.add_error("arrival_airport", _("Choose an airport other than the departure."))
        if departure and data.get("departs_local"):
            data["departs_at"] = timezone.make_aware(data["departs_local"], departure.zone)
        if arrival and data.get("arrives_local"):
            data["arrives_at"] = timezone.make_aware(data["arrives_local"], arrival.zone)
        departs_at, arrives_at = data.get("departs_at"), data.get("arrives_at")
        if departs_at and arrives_at and arrives_at <= departs_at:
            self.add_error(
                "arrives_local",
                _(
                    "The flight must arrive after it departs. Each time is local to its "
                    "own airport, so check the time difference."
                ),
            )
        seats = data.get("seats_total")
        if self.flight is not None and seats is not None and seats < self.flight.seats_booked:
            self.add_error(
                "seats_total",
                _("%(booked)d seats are already booked; cancel seats before going below that.")
                % {"booked": self.flight.seats_booked},
            )
        return data

    def flight_fields(self) -> dict[str, Any]:
        """What flight_create / flight_update take, with the times in UTC."""
        data = self.cleaned_data
        names = ("number", "carrier", "kind", "departure_airport", "arrival_airport")
        fields = {name: data[name] for name in names}
        fields.update(
            departs_at=data["departs_at"],
            arrives_at=data["arrives_at"],
            report_minutes_before=data["report_minutes_before"] or default_report_minutes(),
            seats_total=data["seats_total"],
            notes=data["notes"],
            offers=data["offers"] or (self.flight.offers if self.flight else Flight.Offers.ASK),
        )
        return fields

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError beside the fields this form calls by other names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = self.FIELD_FOR_MODEL_FIELD.get(name, name)
            self.add_error(field if field in self.fields else None, errors)


class GateForm(forms.Form):
    """One tap at the gate: boarded or no-show."""

    status = forms.ChoiceField(
        choices=[
            (Booking.Status.BOARDED, Booking.Status.BOARDED.label),
            (Booking.Status.NO_SHOW, Booking.Status.NO_SHOW.label),
        ]
    )

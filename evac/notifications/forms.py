from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evac.flights.models import Flight
from evac.notifications.compose import ALL_LANGUAGES
from evac.notifications.models import Notification
from evac.operations.models import Operation
from evac.people.models import Language
from evac.places.models import City


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Notification.Status.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("Any")), *Notification.Channel.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *Notification.Kind.choices]
    )
    flight = forms.ModelChoiceField(
        label=_("Flight"), required=False, queryset=Flight.objects.none(), empty_label=_("Any")
    )

    def __init__(self, *args, operation: Operation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["flight"].queryset = operation.flights.select_related(
            "departure_airport", "arrival_airport"
        ).order_by("-departs_at")


class FlightWithDateField(forms.ModelChoiceField):
    """A flight by number, route and local departure: numbers repeat from day to day."""

    def label_from_instance(self, flight: Flight) -> str:
        departs = flight.departs_local
        return (
            f"{flight.number} {flight.departure_airport.iata_code}→"
            f"{flight.arrival_airport.iata_code} · "
            f"{formats.date_format(departs, 'j M Y')} {departs:%H:%M}"
        )


class BroadcastForm(forms.Form):
    """To everyone on one flight, or everyone waiting in one city; the text as staff wrote
    it: one for everyone, or one per language the people read."""

    AUDIENCE_FLIGHT, AUDIENCE_CITY = "flight", "city"
    audience = forms.ChoiceField(
        label=pgettext_lazy("recipient", "To"),
        choices=[
            (AUDIENCE_FLIGHT, _("Everyone holding a seat on a flight")),
            (AUDIENCE_CITY, _("Everyone waiting in a city")),
        ],
        widget=forms.RadioSelect,
    )
    flight = FlightWithDateField(label=_("Flight"), required=False, queryset=Flight.objects.none())
    city = forms.ModelChoiceField(label=_("City"), required=False, queryset=City.objects.none())
    text = forms.CharField(
        label=_("One text for everyone"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Goes as written to everyone, whatever language they read. Or leave it empty and "
            "write a text in each language below. Keep it short: an SMS in Cyrillic holds 70 "
            "characters a segment, at most 3 segments."
        ),
    )

    def __init__(self, *args, operation: Operation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offered = _offered_languages(operation)
        for language, name in Language.choices:
            if language not in offered:
                continue
            self.fields[f"text_{language}"] = forms.CharField(
                label=name,
                required=False,
                max_length=600,
                widget=forms.Textarea(attrs={"rows": 3, "lang": language}),
            )
        self.fields["flight"].queryset = (
            operation.flights.exclude(status__in=[Flight.Status.CANCELLED, Flight.Status.LANDED])
            .select_related("departure_airport__city", "arrival_airport")
            .order_by("departs_at")
        )
        waiting_cities = operation.citizens.filter(status="waiting").values("current_city")
        self.fields["city"].queryset = City.objects.filter(pk__in=waiting_cities)

    def clean(self) -> dict:
        data = super().clean()
        audience = data.get("audience")
        if audience == self.AUDIENCE_FLIGHT and not data.get("flight"):
            self.add_error("flight", _("Choose the flight."))
        if audience == self.AUDIENCE_CITY and not data.get("city"):
            self.add_error("city", _("Choose the city."))
        return data

    def target(self) -> dict:
        """The flight or the city, as the services take them."""
        if self.cleaned_data["audience"] == self.AUDIENCE_FLIGHT:
            return {"flight": self.cleaned_data["flight"], "city": None}
        return {"flight": None, "city": self.cleaned_data["city"]}

    def texts(self) -> dict[str, str]:
        """What staff wrote, as the services take it: one text for all, or per language."""
        written = {ALL_LANGUAGES: self.cleaned_data.get("text", "")}
        for language in Language.values:
            written[language] = self.cleaned_data.get(f"text_{language}", "")
        return written


def _offered_languages(operation: Operation) -> set[str]:
    """A text box for each of the operation's languages, and for any other that some of its
    people read (registered before the operation's languages changed): nobody is left with
    no text in their language (broadcasts refuse that)."""
    read = operation.citizens.values_list("preferred_language", flat=True).distinct()
    return {*operation.written_languages(), *read}

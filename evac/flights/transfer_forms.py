"""The form that plans or edits a ground transfer; times are typed in each city's local time."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evac.core.text import LONG_TEXT_LENGTH
from evac.flights.forms import LocalDateTimeField
from evac.flights.models import GroundTransfer
from evac.places.models import City


class TransferForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=GroundTransfer.Mode.choices)
    number = forms.CharField(label=_("Train or bus number"), max_length=12, required=False)
    operator = forms.CharField(label=_("Operator"), max_length=100, required=False)
    from_city = forms.ModelChoiceField(label=_("From"), queryset=City.objects.none())
    departs_local = LocalDateTimeField(label=_("Departs (local time)"))
    to_city = forms.ModelChoiceField(label=_("To"), queryset=City.objects.none())
    arrives_local = LocalDateTimeField(label=_("Arrives (local time)"))
    meeting_point = forms.CharField(
        label=_("Meeting point"),
        max_length=200,
        required=False,
        help_text=_("Where people gather, with the address, as messages will say it."),
    )
    meeting_map_url = forms.URLField(
        label=_("Map link of the meeting point"), required=False, assume_scheme="https"
    )
    seats_total = forms.IntegerField(label=_("Seats"), min_value=1)
    description = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=LONG_TEXT_LENGTH,
        widget=forms.Textarea({"rows": 3}),
    )

    FIELD_FOR_MODEL_FIELD = {"departs_at": "departs_local", "arrives_at": "arrives_local"}

    def __init__(
        self, *args: Any, country: str, transfer: GroundTransfer | None = None, **kwargs: Any
    ) -> None:
        if transfer is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{
                    name: getattr(transfer, name)
                    for name in (
                        "mode",
                        "number",
                        "operator",
                        "meeting_point",
                        "meeting_map_url",
                        "seats_total",
                        "description",
                    )
                },
                "from_city": transfer.from_city_id,
                "to_city": transfer.to_city_id,
                "departs_local": transfer.departs_local.replace(tzinfo=None),
                "arrives_local": transfer.arrives_local.replace(tzinfo=None),
            }
        super().__init__(*args, **kwargs)
        cities = City.objects.filter(country=country)
        self.fields["from_city"].queryset = cities
        self.fields["to_city"].queryset = cities

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for city, local, moment in (
            ("from_city", "departs_local", "departs_at"),
            ("to_city", "arrives_local", "arrives_at"),
        ):
            if data.get(city) and data.get(local):
                data[moment] = timezone.make_aware(data[local], data[city].time_zone)
        return data

    def transfer_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = (
            "mode",
            "number",
            "operator",
            "from_city",
            "to_city",
            "departs_at",
            "arrives_at",
            "meeting_point",
            "meeting_map_url",
            "seats_total",
            "description",
        )
        return {name: data[name] for name in names}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = self.FIELD_FOR_MODEL_FIELD.get(name, name)
            self.add_error(field if field in self.fields else None, errors)

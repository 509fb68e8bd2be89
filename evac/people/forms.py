"""Forms of the citizen registry: household intake, edit, contact log and status decisions.

The forms only read and check what was typed; every write goes through people.services.
"""

from collections.abc import Collection, Sequence
from typing import Any

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.phonenumber import to_python as to_phone_number

from evac.core.text import ADDRESS_LENGTH, NOTE_LENGTH
from evac.people.models import Citizen, ContactLogEntry
from evac.people.services import PERSON_FIELDS, PLACE_FIELDS
from evac.places.models import City


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        # The browser's date picker sends and expects ISO dates, whatever the language.
        super().__init__(attrs, format="%Y-%m-%d")


# The example a phone field's help gives, and its error repeats.
PHONE_HELP = _("As dialled here or at home, or with the country code: +7 701 234 56 78.")


class PhoneField(PhoneNumberField):
    """A number as the person dictates it: "+7 701 …", or as dialled locally, "8 701 …" in
    Kazakhstan or "067 …" in Ukraine; `regions` are where a local number may be from."""

    # The library's own message gives a US number as the example; ours matches PHONE_HELP.
    default_error_messages = {
        "invalid": _("Enter a valid phone number, for example +7 701 234 56 78.")
    }
    regions: tuple[str, ...] = ()

    def to_python(self, value: Any) -> Any:
        number = super().to_python(value)
        if number in validators.EMPTY_VALUES or number.is_valid():
            return number
        for region in self.regions:
            candidate = to_phone_number(str(value).strip(), region=region)
            if candidate.is_valid():
                return candidate
        return number  # invalid: the field's validator says so, next to the field


class CitizenFieldsForm(forms.ModelForm):
    """What staff may type about a person, with the checks that belong to the typing."""

    class Meta:
        model = Citizen
        fields = PERSON_FIELDS
        field_classes = {"phone": PhoneField}
        widgets = {
            "date_of_birth": DateInput(),
            "document_expires_on": DateInput(),
            "medical_details": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "temporary_address": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "surname": _("As in the travel document, in Latin letters."),
            "given_names": _("As in the travel document, in Latin letters."),
            "document_issuing_country": _("Leave empty if it is the same as the nationality."),
            "phone": PHONE_HELP,
            "medical_details": _("What the crew and the escort need to know."),
        }

    def __init__(self, *args: Any, phone_regions: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["nationality"].initial = "UA"
            self.fields["document_type"].initial = Citizen.DocumentType.PASSPORT
        self.fields["phone"].regions = phone_regions
        self.fields["phone"].widget.input_type = "tel"
        self.fields["email"].widget.input_type = "email"
        # Not required by the form alone, yet not optional: clean() asks for it unless the
        # person has no valid document. Labels say so instead of "optional" (_field.html).
        self.fields["document_number"].needed_when = _("unless “No valid document”")

    def clean_document_number(self) -> str:
        # Read aloud or copied from a photo, numbers arrive as "fa 123 456": store one form,
        # so a duplicate is recognised and the manifest matches the passport.
        return "".join(self.cleaned_data["document_number"].split()).upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, number = data.get("document_type"), data.get("document_number")
        if kind == Citizen.DocumentType.NONE and number:
            self.add_error(
                "document_number",
                _("Leave the number empty when the person has no valid document."),
            )
        elif kind and kind != Citizen.DocumentType.NONE and "document_number" in data:
            if not number:
                self.add_error(
                    "document_number",
                    _("Give the document number, or choose “No valid document”."),
                )
            elif not data.get("document_issuing_country") and data.get("nationality"):
                data["document_issuing_country"] = data["nationality"]
        born, expires = data.get("date_of_birth"), data.get("document_expires_on")
        if born and expires and expires <= born:
            self.add_error(
                "document_expires_on", _("A document can't expire before its holder was born.")
            )
        if data.get("medical_need") is False and data.get("medical_details"):
            self.add_error(
                "medical_need",
                _("Tick “medical need” when you describe one, or clear the details."),
            )
        return data


class MemberForm(CitizenFieldsForm):
    """One person of a household at intake; where they stay is asked once for everybody."""


class BaseMemberFormSet(forms.BaseFormSet):
    # The fields of a person that this formset's forms ask for (the portal asks fewer).
    person_fields: Sequence[str] = PERSON_FIELDS

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        # Only the head must be filled in. A further person left as the empty form was shown
        # (an "add another person" clicked once too often) is simply not registered.
        kwargs.setdefault("empty_permitted", i > 0)
        return super()._construct_form(i, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Leave this person out")

    def people(self) -> list[dict[str, Any]]:
        """Field values of each person to register, head first; call after is_valid()."""
        return [
            {name: form.cleaned_data[name] for name in self.person_fields}
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]

    def typed(self) -> list[dict[str, Any]]:
        """What was typed for each person still wanted, to show again in a fresh form."""
        return [
            {name: form[name].value() for name in self.person_fields}
            for form in self.forms
            if not (self.can_delete and form["DELETE"].value())
        ]


MAX_HOUSEHOLD = 30

MemberFormSet = forms.formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_HOUSEHOLD,
    validate_max=True,
    can_delete=True,
)


class HouseholdForm(forms.Form):
    """Where the household stays, and the officer's answer to a duplicate warning."""

    current_city = forms.ModelChoiceField(
        label=_("Current city"), queryset=City.objects.all(), empty_label=_("Choose a city")
    )
    temporary_address = forms.CharField(
        label=_("Temporary address"),
        required=False,
        max_length=ADDRESS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where they stay now: hotel, friends, street and house."),
    )
    register_anyway = forms.BooleanField(
        label=_("These are different people: register anyway"), required=False
    )


class CitizenEditForm(CitizenFieldsForm):
    class Meta(CitizenFieldsForm.Meta):
        fields = [*PERSON_FIELDS[:15], *PLACE_FIELDS, *PERSON_FIELDS[15:]]

    def __init__(self, *args: Any, withheld: Collection[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["current_city"].empty_label = None
        # A field the editor may not see (privacy.withheld_fields) is neither shown nor
        # sent back, so it keeps its value: an empty box would read as "clear it".
        for name in withheld:
            self.fields.pop(name, None)

    def changes(self) -> dict[str, Any]:
        """Only the fields that were changed, for citizen_update; call after is_valid()."""
        names = set(self.changed_data)
        # clean() may fill the issuing country in from the nationality.
        issuer = self.cleaned_data.get("document_issuing_country")
        if issuer != self.initial.get("document_issuing_country"):
            names.add("document_issuing_country")
        return {name: self.cleaned_data[name] for name in names}


class ContactForm(forms.Form):
    """The quick contact entry: pick a channel, then press the outcome."""

    channel = forms.ChoiceField(
        label=_("How"), choices=ContactLogEntry.Channel.choices, widget=forms.RadioSelect
    )
    direction = forms.ChoiceField(
        label=_("Who started it"),
        choices=ContactLogEntry.Direction.choices,
        initial=ContactLogEntry.Direction.OUTBOUND,
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactLogEntry.Outcome.choices)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=NOTE_LENGTH)

    def __init__(self, *args: Any, citizen: Citizen, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The channel they asked to be reached on is the one to try first.
        if citizen.preferred_channel in ContactLogEntry.Channel.values:
            self.fields["channel"].initial = citizen.preferred_channel


class StatusForm(forms.Form):
    """The decision being confirmed; only the ones allowed from the current status."""

    status = forms.ChoiceField(label=_("New status"), widget=forms.HiddenInput)
    # Asked only when the preview says a minor would stay on board without an adult.
    unaccompanied_reason = forms.CharField(
        label=_("Why the children may travel without an adult of the household"),
        help_text=_("For example: travels with grandmother; escorted by consul Petrenko."),
        required=False,
        max_length=300,
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Citizen.Status(s).label) for s in allowed]

"""The public forms: a person registering, a status lookup, a one-time code and a change.

They check what was typed; every write goes through evac/portal/services.py.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from evac.core.text import ADDRESS_LENGTH
from evac.people.forms import (
    PHONE_HELP,
    BaseMemberFormSet,
    CitizenFieldsForm,
    DateInput,
    PhoneField,
)
from evac.people.models import Citizen, Language
from evac.people.selectors import registry_cities
from evac.people.services import PERSON_FIELDS
from evac.places.models import City

# What a person is asked about themselves and each person with them: the staff's fields
# (PERSON_FIELDS) in the same order, but staff notes, native spellings and document details
# beyond the number, which are for staff to add.
STAFF_ONLY_FIELDS = frozenset(
    {
        "surname_native",
        "given_names_native",
        "document_issuing_country",
        "document_expires_on",
        "notes",
    }
)
PUBLIC_PERSON_FIELDS = tuple(name for name in PERSON_FIELDS if name not in STAFF_ONLY_FIELDS)


# The longest free text a public form takes (an address, what the crew needs to know).
PUBLIC_TEXT_MAX_LENGTH = 1000


class PublicPersonForm(CitizenFieldsForm):
    class Meta(CitizenFieldsForm.Meta):
        fields = PUBLIC_PERSON_FIELDS
        labels = {"preferred_channel": _("How should we contact you?")}
        help_texts = {
            **CitizenFieldsForm.Meta.help_texts,
            "medical_details": _("What the crew and the escort need to know."),
        }

    def __init__(self, *args: Any, languages: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Messages come in the operation's languages only (Operation.written_languages).
        offered = [code for code in languages or Language.values if code in Language.values]
        field = self.fields["preferred_language"]
        field.choices = [(code, label) for code, label in Language.choices if code in offered]
        language = (get_language() or "uk")[:2]
        field.initial = language if language in offered else offered[0]
        for name in ("surname", "given_names"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["medical_details"].max_length = PUBLIC_TEXT_MAX_LENGTH
        self.fields["medical_details"].validators.append(MaxLengthValidator(PUBLIC_TEXT_MAX_LENGTH))


class PublicMemberFormSet(BaseMemberFormSet):
    person_fields = PUBLIC_PERSON_FIELDS


MAX_PEOPLE = 12
PeopleFormSet = forms.formset_factory(
    PublicPersonForm,
    formset=PublicMemberFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_PEOPLE,
    validate_max=True,
    # Never more forms than this, whatever TOTAL_FORMS says (the view refuses such a count
    # before it gets here; this is the second line).
    absolute_max=MAX_PEOPLE,
    can_delete=True,
)


class PlaceForm(forms.Form):
    current_city = forms.ModelChoiceField(
        label=_("Where are you now?"), queryset=City.objects.none(), empty_label=_("Choose a city")
    )
    temporary_address = forms.CharField(
        label=_("Address where you are staying"),
        required=False,
        max_length=ADDRESS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Hotel, friends, street and house."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the embassy keeps these details to help us leave, as described above."
        ),
        error_messages={"required": _("We can only register you with your agreement.")},
    )

    def __init__(self, *args: Any, operation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["current_city"].queryset = registry_cities(operation)


class LookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference code"),
        max_length=20,
        help_text=_("8 letters and digits, e.g. ABCD-2345."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    surname = forms.CharField(
        label=_("or your surname"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One of the two is needed (clean): neither is "optional".
        self.fields["date_of_birth"].needed_when = _("or your surname")
        self.fields["surname"].needed_when = _("if the date is left empty")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("date_of_birth") and not data.get("surname", "").strip():
            raise forms.ValidationError(_("Give your date of birth or your surname."))
        return data


class CodeRequestForm(forms.Form):
    channel = forms.ChoiceField(label=_("Send the code by"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = choices
        if choices:
            self.fields["channel"].initial = choices[0][0]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code we sent you"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )


class ContactsForm(CodeForm):
    phone = PhoneField(label=_("Phone"), required=False, help_text=PHONE_HELP)
    email = forms.EmailField(label=_("E-mail"), required=False)
    temporary_address = forms.CharField(
        label=_("Address where you are staying"),
        required=False,
        max_length=ADDRESS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, citizen: Citizen, phone_regions: tuple, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "phone": citizen.phone,
                "email": citizen.email,
                "temporary_address": citizen.temporary_address,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["phone"].regions = phone_regions
        self.fields["phone"].widget.input_type = "tel"
        self.fields["email"].widget.input_type = "email"

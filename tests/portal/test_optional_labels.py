"""A field called "(optional)" may really be left empty, and a phone error gives the same
example number as the field's help."""

import re

import pytest
from django.urls import reverse

from evac.people.forms import PHONE_HELP, CitizenFieldsForm
from evac.portal.forms import ContactsForm, LookupForm, PublicPersonForm

pytestmark = pytest.mark.django_db

PERSON = {
    "surname": "Shevchenko",
    "given_names": "Iryna",
    "date_of_birth": "1988-04-23",
    "sex": "F",
    "nationality": "UA",
    "document_type": "passport",
    "document_number": "FE318227",
    "phone": "+77015551234",
    "email": "iryna@example.org",
    "preferred_language": "en",
    "preferred_channel": "sms",
    "medical_details": "",
}


def _called_optional(form) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if not field.required and not getattr(field, "needed_when", "")
    ]


@pytest.mark.parametrize("form_class", [PublicPersonForm, CitizenFieldsForm])
def test_each_person_field_labelled_optional_may_be_left_empty(form_class):
    assert form_class(data=PERSON).is_valid(), form_class(data=PERSON).errors
    for name in _called_optional(form_class()):
        form = form_class(data={**PERSON, name: ""})
        assert form.is_valid(), (name, form.errors)


def test_the_document_number_is_labelled_with_when_it_is_needed_not_optional(client, operation):
    page = client.get(reverse("portal:register", args=[operation.slug])).content.decode()

    label = re.search(r'<label for="id_people-0-document_number">(.*?)</label>', page).group(1)
    assert "optional" not in label and "No valid document" in label


def test_the_lookup_asks_for_date_of_birth_or_surname_and_calls_neither_optional(client, operation):
    page = client.get(reverse("portal:status", args=[operation.slug])).content.decode()

    labels = re.findall(r"<label[^>]*>(.*?)</label>", page)
    assert not [label for label in labels if "optional" in label]
    assert LookupForm(data={"reference": "ABCD-2345"}).errors
    assert _called_optional(LookupForm()) == []


@pytest.mark.parametrize("form_class", [PublicPersonForm, CitizenFieldsForm])
def test_a_wrong_phone_is_told_with_the_help_texts_example(form_class):
    form = form_class(data={**PERSON, "phone": "12"})

    (error,) = form.errors["phone"]
    example = re.search(r"\+[\d ]+\d", str(PHONE_HELP)).group(0)
    assert example in error and example in str(form.fields["phone"].help_text)


def test_the_portal_contacts_form_gives_the_same_example(olena):
    form = ContactsForm(data={"code": "123456", "phone": "12"}, citizen=olena, phone_regions=())

    example = re.search(r"\+[\d ]+\d", str(PHONE_HELP)).group(0)
    assert example in form.errors["phone"][0] and example in str(form.fields["phone"].help_text)

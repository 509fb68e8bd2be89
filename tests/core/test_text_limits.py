"""Free text has a length limit everywhere it can be typed: the forms of the pages and the
portal, the API's serializers, and the models (so a service refuses it too), with an error
that names the field and the limit. A field added later without a limit fails here."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from rest_framework import serializers

import evac
from evac.people.models import Citizen, ContactLogEntry
from evac.people.services import citizen_update, contact_log_add
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen

# Written by Evac itself, never typed: the rendered text of a message and a provider's error.
SYSTEM_WRITTEN = {
    ("notifications", "notification", "body"),
    ("notifications", "notification", "last_error"),
}
# Serializers that only describe answers in the schema: nothing is read through them.
ANSWER_ONLY = {"ErrorBodySerializer", "WaitingCitySerializer"}
# Generous for a person and tiny for a database: a megabyte is refused, a page is not.
MOST = 4000


def _evac_modules(suffix: str) -> list:
    found = []
    for module in pkgutil.walk_packages(evac.__path__, "evac."):
        if module.name.endswith(suffix):
            found.append(importlib.import_module(module.name))
    return found


def _classes(modules, base) -> list[type]:
    seen = {}
    for module in modules:
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base) and cls.__module__.startswith("evac."):
                seen[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(seen.values())


def test_every_free_text_column_has_a_limit_the_model_checks():
    unbounded = []
    for model in apps.get_models():
        if not model.__module__.startswith("evac."):
            continue
        for field in model._meta.concrete_fields:
            key = (model._meta.app_label, model._meta.model_name, field.name)
            if not isinstance(field, models.TextField) or key in SYSTEM_WRITTEN:
                continue
            checked = any(isinstance(v, MaxLengthValidator) for v in field.validators)
            if not (field.max_length and field.max_length <= MOST and checked):
                unbounded.append(".".join(key))

    assert unbounded == [], ", ".join(unbounded)


def test_every_text_field_of_every_form_has_a_limit():
    unbounded = []
    for form in _classes(_evac_modules(".forms"), forms.BaseForm):
        for name, field in form.base_fields.items():
            if type(field) in (forms.CharField, forms.RegexField) and not field.max_length:
                unbounded.append(f"{form.__module__}.{form.__qualname__}.{name}")

    assert unbounded == [], ", ".join(unbounded)


def test_every_text_field_the_api_reads_has_a_limit():
    unbounded = []
    modules = [m for m in _evac_modules("") if m.__name__.startswith("evac.api.serializers")]
    for serializer in _classes(modules, serializers.Serializer):
        if serializer.__qualname__ in ANSWER_ONLY:
            continue
        try:
            fields = serializer().fields
        except (TypeError, AssertionError):
            continue
        for name, field in fields.items():
            if field.read_only or not isinstance(field, serializers.CharField):
                continue
            if field.max_length is None:
                unbounded.append(f"{serializer.__qualname__}.{name}")

    assert unbounded == [], ", ".join(unbounded)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["notes", "medical_details", "temporary_address"])
def test_the_service_refuses_a_megabyte_of_text_with_the_field_named(
    operation, almaty, alice, name
):
    olena = make_citizen(operation, almaty)

    with pytest.raises(ValidationError) as refused:
        citizen_update(citizen=olena, by=alice, **{name: "x" * 1_000_000})

    assert name in refused.value.message_dict
    olena.refresh_from_db()
    assert getattr(olena, name) == ""


@pytest.mark.django_db
def test_a_contact_note_over_the_limit_is_refused(operation, almaty, alice):
    olena = make_citizen(operation, almaty)

    with pytest.raises(ValidationError) as refused:
        contact_log_add(
            citizen=olena,
            channel="phone",
            direction="outbound",
            outcome="reached",
            note="x" * 100_000,
            by=alice,
        )

    assert "note" in refused.value.message_dict
    assert not ContactLogEntry.objects.exists()


@pytest.mark.django_db
def test_the_api_answers_a_long_text_with_a_400_naming_the_field_and_the_limit(
    operation, almaty, alice
):
    olena = make_citizen(operation, almaty)
    api = token_client(alice)

    edited = api.patch(
        op_url(operation, f"citizens/{olena.reference}/"), {"notes": "x" * 2_000_000}, format="json"
    )
    logged = api.post(
        op_url(operation, f"citizens/{olena.reference}/contacts/"),
        {"channel": "phone", "direction": "outbound", "outcome": "reached", "note": "x" * 10_000},
        format="json",
    )

    assert edited.status_code == 400
    assert "4000" in error_of(edited)["fields"]["notes"][0]
    assert logged.status_code == 400 and "note" in error_of(logged)["fields"]
    olena.refresh_from_db()
    assert olena.notes == "" and not olena.contacts.exists()


@pytest.mark.django_db
def test_the_edit_page_sends_a_long_address_back_with_an_error(client, operation, almaty, bob):
    from tests.people.test_edit_views import as_posted, edit_url

    olena = make_citizen(operation, almaty, temporary_address="Abay Ave 10")
    client.force_login(bob)

    response = client.post(
        edit_url(operation, olena), as_posted(olena, temporary_address="x" * 50_000)
    )

    assert response.status_code == 200
    assert "at most" in response.content.decode()
    olena.refresh_from_db()
    assert olena.temporary_address == "Abay Ave 10"


def test_the_portals_address_fields_have_the_models_limit():
    from evac.portal.forms import ContactsForm, PlaceForm

    limit = Citizen._meta.get_field("temporary_address").max_length
    assert PlaceForm.base_fields["temporary_address"].max_length == limit
    assert ContactsForm.base_fields["temporary_address"].max_length == limit

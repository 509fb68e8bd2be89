"""Every text of every model is declared personal (erased when its operation is anonymised)
or kept, in its own app's anonymise.py: a new field declared neither fails here, before it
can hold a person's details past their operation's retention."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import models

from evac.core.anonymise import Fields, erased

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def evac_models() -> list[type[models.Model]]:
    """Evac's own models, without django-simple-history's copies (they mirror their model)."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("evac.") and not hasattr(model, "instance_type")
    ]


def declared(model: type[models.Model]) -> Fields | None:
    app = model.__module__.split(".")[1]
    try:
        module = import_module(f"evac.{app}.anonymise")
    except ModuleNotFoundError:
        return None
    return module.FIELDS.get(model)


def text_fields(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)}


@pytest.mark.parametrize("model", evac_models(), ids=lambda m: m._meta.label)
def test_every_text_field_is_declared_personal_or_kept(model):
    fields = declared(model)
    if fields is None and not text_fields(model):
        return  # nothing that could hold a person's words
    assert fields is not None, f"{model._meta.label}: no FIELDS entry in its app's anonymise.py"
    undeclared = text_fields(model) - fields.personal - fields.kept
    assert not undeclared, f"{model._meta.label}: declare {sorted(undeclared)} personal or kept"
    assert not fields.personal & fields.kept, "a field is either personal or kept"
    names = {f.name for f in model._meta.concrete_fields}
    assert fields.personal | fields.kept <= names, "declared fields the model doesn't have"


def test_the_check_reads_the_models_it_must():
    labels = {model._meta.label for model in evac_models()}
    assert {"people.Citizen", "notifications.Notification", "flights.Flight"} <= labels
    assert "people.HistoricalCitizen" not in labels
    assert "surname" in declared(apps.get_model("people", "Citizen")).personal


def test_an_erased_field_holds_nothing_in_its_own_way():
    citizen = apps.get_model("people", "Citizen")
    notification = apps.get_model("notifications", "Notification")
    assert erased(citizen, "phone") == ""
    assert erased(citizen, "document_expires_on") is None
    assert erased(notification, "parameters") == {}

"""Reading an import's rows as the intake form reads a person: each row's cells, mapped to
Evac's fields, checked by people.forms.MemberForm (phones as dialled, document numbers,
dates, Latin names with the transliteration offered) and the city looked up by name."""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from evac.core.constraints import defer_checks
from evac.operations.models import Operation
from evac.people.forms import MemberForm
from evac.people.models import Citizen
from evac.people.selectors import phone_regions
from evac.people.services import PERSON_FIELDS
from evac.people.spreadsheets import mapped_values
from evac.places.models import City


@dataclass
class RowResult:
    cells: list[str]
    number: int = 0  # the row's number in the file
    person: dict[str, Any] = field(default_factory=dict)
    place: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    fingerprint: str = ""


def row_fingerprint(values: dict[str, str]) -> str:
    text = "\x1f".join(f"{key}={values[key].casefold()}" for key in sorted(values))
    return hashlib.sha256(text.encode()).hexdigest()


class ImportRowForm(MemberForm):
    """The intake form, with the model's check constraints left to the batch the row is
    registered in (the database checks them at people.bulk_register's insert, and a batch
    it refuses is registered person by person, each refusal in citizen_register's words):
    no query a row."""

    def _post_clean(self) -> None:
        defer_checks(self.instance)
        super()._post_clean()


class RowReader:
    """Checks rows as the intake form does, with the operation's cities looked up once.

    `in_batches`: the rows go to people_register_batch, which checks the constraints of
    the whole batch at once (ImportRowForm); a preview checks each row fully."""

    def __init__(
        self, operation: Operation, mapping: dict[str, str], *, in_batches: bool = False
    ) -> None:
        self.mapping = mapping
        self.form_class = ImportRowForm if in_batches else MemberForm
        self.regions = phone_regions(operation)
        self.cities: dict[str, City] = {}
        for city in City.objects.filter(country=operation.country):
            for name in (city.name, city.name_native, city.name_ru):
                if name:
                    self.cities[name.casefold()] = city

    def read(self, cells: list[str], *, number: int = 0) -> RowResult:
        values = mapped_values(cells, self.mapping)
        result = RowResult(cells=cells, number=number, fingerprint=row_fingerprint(values))
        data = {name: values.get(name, "") for name in PERSON_FIELDS}
        data["nationality"] = (data["nationality"] or "UA").upper()[:2]
        data["document_type"] = _document_type(data["document_type"], data["document_number"])
        data["preferred_language"] = data["preferred_language"][:2].lower() or "uk"
        data["preferred_channel"] = data["preferred_channel"].lower() or "sms"
        data["sex"] = _sex(data["sex"])
        form = self.form_class(data=data, phone_regions=self.regions)
        if form.is_valid():
            result.person = {name: form.cleaned_data[name] for name in PERSON_FIELDS}
            # The model's own checks (a Latin name with Cyrillic, with the offer).
            probe = Citizen(**result.person)
            for name, message in probe.latin_name_errors().items():
                result.errors.append(f"{form.fields[name].label}: {message}")
        else:
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                result.errors.extend(f"{label}: {m}" if label else m for m in messages)
        city_name = values.get("current_city", "")
        city = self.cities.get(city_name.casefold())
        if city is None:
            result.errors.append(
                _("Current city: no city called “%(name)s” in this operation's country.")
                % {"name": city_name}
                if city_name
                else _("Current city: missing.")
            )
        result.place = {
            "current_city": city,
            "temporary_address": values.get("temporary_address", "")[:500],
        }
        return result


def _document_type(kind: str, number: str) -> str:
    kind = kind.strip().lower()
    if kind in Citizen.DocumentType.values:
        return kind
    for value, label in Citizen.DocumentType.choices:
        if kind and kind == str(label).lower():
            return value
    return Citizen.DocumentType.PASSPORT if number else Citizen.DocumentType.NONE


_SEXES = {"m": "M", "ч": "M", "м": "M", "male": "M", "f": "F", "ж": "F", "female": "F"}


def _sex(text: str) -> str:
    text = text.strip().casefold()
    if not text:
        return Citizen.Sex.UNSPECIFIED  # lists often leave it out; the manifest says X
    return _SEXES.get(text, _SEXES.get(text[:1], text.upper()))

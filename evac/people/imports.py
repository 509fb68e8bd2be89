"""Bulk import of people from a spreadsheet: upload, map the columns, preview, run.

Every row goes through the intake form's checks (people.forms.MemberForm: phones as dialled,
document numbers, dates, Latin names with the transliteration offered) and is registered by
people_register, as at the desk. A bad row never stops the good ones: it goes to the error
rows with its reason, for a file staff fix and import again. A row registered once is
remembered by a hash of its mapped values, and people_register refuses someone already on
file (same document, or name and birth date), so the same file imported twice registers
nobody twice.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evac.core.actor import user_of
from evac.core.clock import now
from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation
from evac.people.duplicates import pairs_deferred
from evac.people.forms import MemberForm
from evac.people.import_models import ImportedRow, ImportMapping, PeopleImport
from evac.people.models import Citizen
from evac.people.selectors import phone_regions
from evac.people.services import PERSON_FIELDS, LikelyDuplicates, people_register
from evac.people.spreadsheets import (
    HOUSEHOLD,
    Sheet,
    clean_mapping,
    guess_mapping,
    mapped_values,
    read_sheet,
)
from evac.places.models import City

PREVIEW_ROWS = 10
# How often a running import writes its progress: often enough for a moving bar.
PROGRESS_EVERY = 25


def import_create(
    *, operation: Operation, by: Actor, file_name: str, content: bytes
) -> PeopleImport:
    """Store an uploaded file, with the column mapping guessed from its headers.

    Raises spreadsheets.UnreadableFile (a ValueError) for a file Evac can't read."""
    require_permission(by, operation, Permission.IMPORT_PEOPLE)
    sheet = read_sheet(content, file_name=file_name)
    return PeopleImport.objects.create(
        operation=operation,
        created_by=user_of(by),
        file_name=file_name[:200],
        content=content,
        headers=sheet.headers,
        mapping=guess_mapping(sheet.headers),
        rows_total=len(sheet.rows),
    )


def import_set_mapping(*, people_import: PeopleImport, by: Actor, mapping: dict) -> PeopleImport:
    require_permission(by, people_import.operation, Permission.IMPORT_PEOPLE)
    if people_import.status != PeopleImport.Status.MAPPING:
        raise ValidationError(_("This import has started; its mapping can't change."))
    people_import.mapping = clean_mapping(mapping, people_import.headers)
    people_import.save(update_fields=["mapping"])
    return people_import


def mapping_save(*, people_import: PeopleImport, by: Actor, name: str) -> ImportMapping:
    """Remember the import's mapping under `name`, by header text, for the next file."""
    require_permission(by, people_import.operation, Permission.IMPORT_PEOPLE)
    by_header = {
        people_import.headers[int(index)]: target for index, target in people_import.mapping.items()
    }
    saved, _created = ImportMapping.objects.update_or_create(
        operation=people_import.operation, name=name.strip()[:100], defaults={"mapping": by_header}
    )
    return saved


def mapping_apply(*, people_import: PeopleImport, by: Actor, saved: ImportMapping) -> PeopleImport:
    """Use a saved mapping on this file: its columns with the same headers."""
    by_header = {header: str(index) for index, header in enumerate(people_import.headers)}
    mapping = {
        by_header[header]: target for header, target in saved.mapping.items() if header in by_header
    }
    return import_set_mapping(people_import=people_import, by=by, mapping=mapping)


@transaction.atomic
def import_start(*, people_import: PeopleImport, by: Actor) -> PeopleImport:
    """Queue the run (after commit); the task calls import_run."""
    require_permission(by, people_import.operation, Permission.IMPORT_PEOPLE)
    if people_import.status != PeopleImport.Status.MAPPING:
        raise ValidationError(_("This import has already been started."))
    targets = set(people_import.mapping.values())
    missing = {"surname", "given_names", "date_of_birth"} - targets
    if missing:
        raise ValidationError(_("Map a column to each of: surname, given names, date of birth."))
    updated = PeopleImport.objects.filter(
        pk=people_import.pk, status=PeopleImport.Status.MAPPING
    ).update(status=PeopleImport.Status.QUEUED)
    if updated:
        from evac.people.import_queue import queue_import_on_commit

        queue_import_on_commit(people_import.pk)
    people_import.refresh_from_db()
    return people_import


# Reading the rows -------------------------------------------------------------------------


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


class RowReader:
    """Checks rows as the intake form does, with the operation's cities looked up once."""

    def __init__(self, operation: Operation, mapping: dict[str, str]) -> None:
        self.mapping = mapping
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
        form = MemberForm(data=data, phone_regions=self.regions)
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


def import_preview(people_import: PeopleImport) -> list[RowResult]:
    """The first rows as they would be stored, with the reason for each that would not."""
    sheet = _sheet(people_import)
    reader = RowReader(people_import.operation, people_import.mapping)
    numbered = zip(sheet.numbers, sheet.rows[:PREVIEW_ROWS], strict=False)
    return [reader.read(cells, number=number) for number, cells in numbered]


def _sheet(people_import: PeopleImport) -> Sheet:
    return read_sheet(bytes(people_import.content), file_name=people_import.file_name)


Numbered = tuple[int, list[str]]


def _units(sheet: Sheet, mapping: dict[str, str]) -> Iterator[list[Numbered]]:
    """Rows that travel together (the same household value), in the file's order, each
    with its number in the file."""
    numbered = list(zip(sheet.numbers or range(2, len(sheet.rows) + 2), sheet.rows, strict=True))
    column = next((int(i) for i, target in mapping.items() if target == HOUSEHOLD), None)
    if column is None:
        yield from ([row] for row in numbered)
        return
    groups: dict[str, list[Numbered]] = {}
    alone: list[list[Numbered]] = []
    for number, row in numbered:
        key = row[column].strip()
        if key:
            groups.setdefault(key, []).append((number, row))
        else:
            alone.append([(number, row)])
    yield from groups.values()
    yield from alone


# Running -----------------------------------------------------------------------------------


def import_run(*, import_id: int) -> PeopleImport:
    """Register every row of a queued import; called by the task, as the uploader."""
    claimed = PeopleImport.objects.filter(
        pk=import_id, status__in=[PeopleImport.Status.QUEUED, PeopleImport.Status.RUNNING]
    ).update(status=PeopleImport.Status.RUNNING)
    people_import = PeopleImport.objects.select_related("operation", "created_by").get(pk=import_id)
    if not claimed:
        return people_import
    by = people_import.created_by
    require_permission(by, people_import.operation, Permission.IMPORT_PEOPLE)
    sheet = _sheet(people_import)
    reader = RowReader(people_import.operation, people_import.mapping)
    # A run restarted after a dead worker starts again: rows registered by the first
    # attempt are found by their fingerprints and skipped.
    counts = {"rows_done": 0, "rows_created": 0, "rows_skipped": 0, "rows_error": 0}
    errors: list[list[str]] = []
    with pairs_deferred(operation=people_import.operation):
        _run_units(people_import, sheet, reader, counts, errors)
    PeopleImport.objects.filter(pk=import_id).update(
        **counts, error_rows=errors, status=PeopleImport.Status.DONE, finished_at=now()
    )
    people_import.refresh_from_db()
    return people_import


def _run_units(
    people_import: PeopleImport,
    sheet: Sheet,
    reader: RowReader,
    counts: dict[str, int],
    errors: list[list[str]],
) -> None:
    by = people_import.created_by
    for unit in _units(sheet, people_import.mapping):
        results = [reader.read(cells, number=number) for number, cells in unit]
        outcome = _register_unit(people_import, results, by)
        counts[outcome] += len(results)
        counts["rows_done"] += len(results)
        if outcome == "rows_error":
            errors.extend(_error_row(result) for result in results)
        before = counts["rows_done"] - len(results)
        if counts["rows_done"] // PROGRESS_EVERY != before // PROGRESS_EVERY:
            PeopleImport.objects.filter(pk=people_import.pk).update(**counts)


def _error_row(result: RowResult) -> list[str]:
    """The row as in the file, then its number in the file, then the reasons."""
    return [*result.cells, str(result.number), "; ".join(result.errors)]


def _register_unit(people_import: PeopleImport, results: list[RowResult], by: Actor) -> str:
    operation = people_import.operation
    prints = [result.fingerprint for result in results]
    known = ImportedRow.objects.filter(operation=operation, fingerprint__in=prints).count()
    if known == len(set(prints)):
        return "rows_skipped"
    if any(result.errors for result in results):
        for result in results:
            if not result.errors:
                result.errors.append(_("Another person of the same household has an error."))
        return "rows_error"
    try:
        with transaction.atomic():
            people = people_register(
                operation=operation,
                source=Citizen.Source.IMPORT,
                by=by,
                people=[result.person for result in results],
                place=results[0].place,
            )
            ImportedRow.objects.bulk_create(
                [
                    ImportedRow(operation=operation, fingerprint=fp, citizen=person)
                    for fp, person in zip(prints, people, strict=True)
                ],
                ignore_conflicts=True,
            )
    except LikelyDuplicates as found:
        codes = ", ".join(
            sorted({match.reference for pair in found.duplicates for match in pair.matches})
        )
        for result in results:
            result.errors.append(_("May already be registered: %(codes)s.") % {"codes": codes})
        return "rows_error"
    except ValidationError as error:
        for result in results:
            result.errors.extend(error.messages)
        return "rows_error"
    return "rows_created"

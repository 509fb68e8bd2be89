"""An import's run: its rows read as intake reads a person, then registered a batch at a
time by people.bulk_register (the rules of people_register, in a few statements a batch).

For each batch of about BATCH_ROWS rows (whole households, never split): one query for the
fingerprints of rows some import registered already (skipped: the same file imported twice
registers nobody twice), one transaction that registers the batch's good units and
remembers their rows, and one write of the progress. A bad row, or a unit refused as
someone already on file, goes to the error rows with its reason; the others are registered.
"""

from collections.abc import Iterator

from django.db import transaction
from django.utils.translation import gettext as _

from evac.core.reference import format_reference_code
from evac.people.bulk_register import Unit, people_register_batch
from evac.people.import_models import ImportedRow, PeopleImport
from evac.people.import_rows import RowReader, RowResult
from evac.people.models import Citizen
from evac.people.spreadsheets import HOUSEHOLD, Sheet

# Rows registered in one transaction: enough to make the statements of a batch cheap per
# row, few enough that a batch's locks and its progress step stay short.
BATCH_ROWS = 250

Numbered = tuple[int, list[str]]
Counts = dict[str, int]


def register_rows(
    people_import: PeopleImport, sheet: Sheet, reader: RowReader
) -> tuple[Counts, list[list[str]]]:
    """Register the sheet's rows; returns the counts (rows done, created, skipped, in
    error) and the error rows, as the error file holds them."""
    counts = {"rows_done": 0, "rows_created": 0, "rows_skipped": 0, "rows_error": 0}
    errors: list[list[str]] = []
    batch: list[list[Numbered]] = []
    for unit in _units(sheet, people_import.mapping):
        batch.append(unit)
        if sum(len(u) for u in batch) >= BATCH_ROWS:
            _register_batch(people_import, reader, batch, counts, errors)
            batch = []
    if batch:
        _register_batch(people_import, reader, batch, counts, errors)
    return counts, errors


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


def _register_batch(
    people_import: PeopleImport,
    reader: RowReader,
    batch: list[list[Numbered]],
    counts: Counts,
    errors: list[list[str]],
) -> None:
    operation = people_import.operation
    read = [[reader.read(cells, number=number) for number, cells in unit] for unit in batch]
    prints = {result.fingerprint for results in read for result in results}
    known = set(
        ImportedRow.objects.filter(operation=operation, fingerprint__in=prints).values_list(
            "fingerprint", flat=True
        )
    )
    outcomes: list[str] = []
    units: dict[int, Unit] = {}
    # A unit repeated within the batch (the same rows twice in the file) follows the first:
    # skipped once that is registered, as it would be one batch later.
    first_of: dict[frozenset[str], int] = {}
    repeats: dict[int, int] = {}
    for index, results in enumerate(read):
        unit_prints = frozenset(result.fingerprint for result in results)
        if unit_prints <= known:
            outcomes.append("rows_skipped")
        elif any(result.errors for result in results):
            for result in results:
                if not result.errors:
                    result.errors.append(_("Another person of the same household has an error."))
            outcomes.append("rows_error")
        elif unit_prints in first_of:
            repeats[index] = first_of[unit_prints]
            outcomes.append("")
        else:
            first_of[unit_prints] = index
            units[index] = Unit(
                people=[result.person for result in results], place=results[0].place
            )
            outcomes.append("")
    with transaction.atomic():
        people_register_batch(
            operation=operation,
            source=Citizen.Source.IMPORT,
            by=people_import.created_by,
            units=list(units.values()),
        )
        ImportedRow.objects.bulk_create(
            [
                ImportedRow(operation=operation, fingerprint=result.fingerprint, citizen=person)
                for index, unit in units.items()
                for result, person in zip(read[index], unit.registered, strict=False)
            ],
            ignore_conflicts=True,
        )
    for index, unit in units.items():
        outcomes[index] = _outcome(unit, read[index])
    for index, first in repeats.items():
        if outcomes[first] == "rows_created":
            outcomes[index] = "rows_skipped"
        else:
            outcomes[index] = outcomes[first]
            for result, model in zip(read[index], read[first], strict=False):
                result.errors = list(model.errors)
    for outcome, results in zip(outcomes, read, strict=True):
        counts[outcome] += len(results)
        counts["rows_done"] += len(results)
        if outcome == "rows_error":
            errors.extend(_error_row(result) for result in results)
    PeopleImport.objects.filter(pk=people_import.pk).update(**counts)


def _outcome(unit: Unit, results: list[RowResult]) -> str:
    """The unit's result in words on its rows: registered, or why not."""
    if unit.registered:
        return "rows_created"
    if unit.duplicates:
        codes = ", ".join(format_reference_code(code) for code in unit.duplicates)
        reason = _("May already be registered: %(codes)s.") % {"codes": codes}
        for result in results:
            result.errors.append(reason)
    else:
        for result in results:
            result.errors.extend(unit.errors)
    return "rows_error"


def _error_row(result: RowResult) -> list[str]:
    """The row as in the file, then its number in the file, then the reasons."""
    return [*result.cells, str(result.number), "; ".join(result.errors)]

"""Bulk import of people from a spreadsheet: upload, map the columns, preview, run.

Every row goes through the intake form's checks (people.import_rows: people.forms.MemberForm,
phones as dialled, document numbers, dates, Latin names with the transliteration offered)
and is registered with people_register's rules, a batch at a time (people.import_batches,
people.bulk_register). A bad row never stops the good ones: it goes to the error rows with
its reason, for a file staff fix and import again. A row registered once is remembered by a
hash of its mapped values, and someone already on file (same document, or name and birth
date) is refused, so the same file imported twice registers nobody twice.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evac.core.actor import user_of
from evac.core.cells import defuse
from evac.core.clock import now
from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation
from evac.people.duplicates import pairs_deferred
from evac.people.import_batches import register_rows
from evac.people.import_models import ImportMapping, PeopleImport
from evac.people.import_rows import RowReader, RowResult, _sex, row_fingerprint
from evac.people.spreadsheets import Sheet, clean_mapping, guess_mapping, read_sheet

# Also read from here by the benchmark and the tests.
__all__ = ["RowResult", "_sex", "row_fingerprint"]

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


def import_errors_csv(*, people_import: PeopleImport, by: Actor) -> bytes:
    """The rows that were not registered, as in the file, with the row number and the reason
    in last columns: the staff page's and the API's error file. Whole rows of the file, so
    the caller writes the access log (AccessAction.IMPORT_ERRORS_DOWNLOADED)."""
    require_permission(by, people_import.operation, Permission.IMPORT_PEOPLE)
    out = io.StringIO()
    out.write("\ufeff")  # so that Excel reads the Cyrillic as UTF-8
    writer = csv.writer(out)
    # As typed, but read as text: a cell starting "=" would run as a formula in Excel.
    writer.writerow([defuse(str(cell)) for cell in [*people_import.headers, _("Row"), _("Reason")]])
    width = len(people_import.headers)
    for row in people_import.error_rows:
        # Imports run before rows were numbered hold the cells and the reason only.
        row = row if len(row) == width + 2 else [*row[:-1], "", row[-1]]
        writer.writerow([defuse("" if cell is None else str(cell)) for cell in row])
    return out.getvalue().encode("utf-8")


# Reading the rows -------------------------------------------------------------------------


def import_preview(people_import: PeopleImport) -> list[RowResult]:
    """The first rows as they would be stored, with the reason for each that would not."""
    sheet = _sheet(people_import)
    reader = RowReader(people_import.operation, people_import.mapping)
    numbered = zip(sheet.numbers, sheet.rows[:PREVIEW_ROWS], strict=False)
    return [reader.read(cells, number=number) for number, cells in numbered]


def _sheet(people_import: PeopleImport) -> Sheet:
    return read_sheet(bytes(people_import.content), file_name=people_import.file_name)


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
    reader = RowReader(people_import.operation, people_import.mapping, in_batches=True)
    # A run restarted after a dead worker starts again: rows registered by the first
    # attempt are found by their fingerprints and skipped.
    with pairs_deferred(operation=people_import.operation):
        counts, errors = register_rows(people_import, sheet, reader)
    PeopleImport.objects.filter(pk=import_id).update(
        **counts, error_rows=errors, status=PeopleImport.Status.DONE, finished_at=now()
    )
    people_import.refresh_from_db()
    return people_import

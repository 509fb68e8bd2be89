"""What of a person's record is personal, and its erasure when their operation is
anonymised (called by evac/cockpit/retention.py, which says what goes and what stays).

Citizen: names, document number and expiry date, phone, e-mail, temporary address,
medical details and notes go; the date of birth keeps its year only.
Their history (django-simple-history copies every field on every save) is deleted. Contact
log: the note goes; when, channel, direction, outcome and the staff member stay.
"""

from datetime import date

from django.db import transaction

from evac.core.anonymise import (
    ANONYMISED,
    admin_log_forget_of_operation,
    batches,
    declare,
    erased,
)
from evac.operations.models import Operation
from evac.people import queue
from evac.people.models import (
    Citizen,
    CitizenMerge,
    ContactLogEntry,
    DuplicatePair,
    Household,
    ImportedRow,
    ImportMapping,
    PeopleByTime,
    PeopleCount,
    PeopleImport,
)

FIELDS = {
    Citizen: declare(
        personal={
            "surname",
            "given_names",
            "surname_native",
            "given_names_native",
            "date_of_birth",  # to its year only (year_only)
            "document_number",
            "document_expires_on",
            "phone",
            "email",
            "temporary_address",
            "medical_details",
            "notes",
        },
        # The numbers: status, city, sex, nationality and age group still count. The
        # reference code is random and says nothing about the person.
        kept={
            "reference_code",
            "sex",
            "nationality",
            "document_type",
            "document_issuing_country",
            "preferred_language",
            "preferred_channel",
            "status",
            "source",
            # A level from a fixed list (WCHR/WCHS/WCHC), counted like the other needs.
            "wheelchair",
        },
    ),
    ContactLogEntry: declare(personal={"note"}, kept={"channel", "direction", "outcome"}),
    Household: declare(),
    # An import's file (`content`, binary) and its error rows are the people in it; the
    # file's name and column titles may name them too. Its counts stay.
    PeopleImport: declare(
        personal={"file_name", "headers", "error_rows", "failure"},
        kept={"mapping", "status"},
    ),
    ImportMapping: declare(kept={"name", "mapping"}),
    # A hash of a person's row: deleted, as it could confirm a guess of who was in a file.
    ImportedRow: declare(personal={"fingerprint"}),
    # Both records of a merge as they were, whole: erased (the merge can't be undone after).
    # The reference codes are random and say nothing about the person; `moved` is ids.
    # The finder's reasons are its fixed words ("same document"), not the person's data.
    DuplicatePair: declare(kept={"reasons"}),
    PeopleCount: declare(kept={"status"}),  # numbers only: how many have each status
    PeopleByTime: declare(kept={"kind", "status"}),  # numbers only, by quarter hour
    CitizenMerge: declare(
        personal={"kept_before", "dropped_record"},
        kept={"kept_reference_code", "dropped_reference_code", "moved"},
    ),
}
# The day and month every date of birth becomes; the year stays, so that age groups
# (children, the elderly) can still be counted; a whole date of birth with a nationality and
# a city is too close to a person. 1 July keeps every computed age within half a year.
BIRTHDAY_KEPT = (7, 1)


def year_only(born: date) -> date:
    month, day = BIRTHDAY_KEPT
    return date(born.year, month, day)


def people_admin_log_forget(operation: Operation) -> None:
    """The names the admin log keeps of the operation's people, households and contacts."""
    admin_log_forget_of_operation(Citizen, operation.pk)
    admin_log_forget_of_operation(Household, operation.pk)
    admin_log_forget_of_operation(ContactLogEntry, operation.pk, "citizen__operation_id")


def citizens_anonymise(operation: Operation) -> int:
    """Erase the personal fields of the operation's people and their contact notes; returns
    how many people. Each batch in a transaction of its own; safe to run again."""
    personal = sorted(FIELDS[Citizen].personal)
    done = 0
    for ids in batches(Citizen.objects.filter(operation=operation)):
        with transaction.atomic():
            people = list(
                Citizen.objects.filter(pk__in=ids).only("pk", "date_of_birth", "document_type")
            )
            for person in people:
                _erase(person, personal)
            Citizen.objects.bulk_update(people, personal)
            ContactLogEntry.objects.filter(citizen__in=ids).exclude(note="").update(note="")
        done += len(people)
    queue.rebuild(operation.pk)  # dates of birth moved to mid-year: ages may have changed
    imports_anonymise(operation)
    return done


def imports_anonymise(operation: Operation) -> None:
    """The uploaded files, their error rows and the rows' fingerprints go; the counts stay."""
    with transaction.atomic():
        PeopleImport.objects.filter(operation=operation).update(
            content=b"", file_name=ANONYMISED, headers=[], error_rows=[], failure=""
        )
        ImportedRow.objects.filter(operation=operation).delete()
        CitizenMerge.objects.filter(operation=operation).update(kept_before={}, dropped_record={})


def _erase(person: Citizen, personal: list[str]) -> None:
    has_document = person.document_type != Citizen.DocumentType.NONE
    born = person.date_of_birth
    for name in personal:
        setattr(person, name, erased(Citizen, name))
    person.surname = ANONYMISED  # required
    person.date_of_birth = year_only(born)
    # A document type other than "none" needs a number (a check constraint says so).
    person.document_number = ANONYMISED if has_document else ""


def citizen_history_delete(operation: Operation) -> int:
    """Every history row of the operation's people, including people deleted since.

    Deleted rather than scrubbed: each row is a full copy of the person as they were, and
    who changed what in a record that no longer holds anything personal answers nothing.
    """
    history = Citizen.history.model.objects.filter(operation_id=operation.pk)
    deleted = 0
    for ids in batches(history, key="history_id"):
        with transaction.atomic():
            deleted += Citizen.history.model.objects.filter(history_id__in=ids).delete()[0]
    return deleted

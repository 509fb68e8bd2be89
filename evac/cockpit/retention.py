"""Anonymising a closed operation: its people's personal data goes, its numbers stay.

What goes, and what stays: the statistics (counts by status, city, flight and booking, the
dashboard's chart and evacuation numbers) stay exactly as they were.

- Citizen: names (Latin and native), document number and expiry date, phone, e-mail,
  temporary address, medical details and notes go; the date of birth keeps its year only.
  Kept: reference code, status, city, sex, nationality, document type and issuing country,
  the vulnerability flags, language, channel, source, household, registered / last heard.
- Their history (django-simple-history copies every field on every save): deleted.
- Contact log: the note goes; when, channel, direction, outcome and the staff member stay.
- Notifications: subject, text, address, last error and the provider's id go (pending ones
  are cancelled); kind, channel, language, status and times stay.
- Portal one-time codes: deleted.
- Flight notes and ground transfer descriptions (and their history): emptied, since staff
  write names there in a hurry ("stretcher for …"); nothing else about flights changes.
- Bookings, households, manifest export records: untouched; they hold ids, statuses and
  times only (manifest files are made on request and never stored).
- The admin log (django.contrib.admin): the name and change message of the operation's
  people, households, bookings and messages; who did it, when, and the id stay.
- The SMS file and the e-mail folder, when Evac writes messages to files (the demo, a
  laptop): the operation's messages. A real provider keeps its own copies, out of reach.
- Sessions: expired ones, on every run (a portal session holds the names just registered).

The year of birth stays so that age groups (children, the elderly) can still be counted; a
whole date of birth with a nationality and a city is too close to a person. 1 July keeps
every computed age within half a year of the true one.

Each batch of rows is changed in a transaction of its own, so anonymising 100,000 people
never holds one long transaction or its locks; the price is that a run that stops half-way
leaves the operation half done. Every step is idempotent and the operation is marked
anonymised only at the end, so the next run finishes the job.
"""

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.parser import BytesParser
from email.policy import default
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.module_loading import import_string

from evac.flights.models import Booking, Flight, GroundTransfer
from evac.notifications.models import Notification
from evac.notifications.sms import FileSmsBackend
from evac.operations.models import Operation
from evac.people.models import Citizen, ContactLogEntry, Household
from evac.portal.models import OneTimeCode

logger = logging.getLogger(__name__)

# Rows per transaction: small enough that a batch takes a fraction of a second and its locks
# don't hold anyone up, large enough that 100,000 people take a few hundred round trips.
BATCH = 500
# What stands where a required text was (a surname, a document number). Data, not a label:
# the same in every language, like the manifests.
ANONYMISED = "Anonymised"
# The day and month every date of birth becomes; the year stays.
BIRTHDAY_KEPT = (7, 1)

CITIZEN_FIELDS = (
    "surname",
    "given_names",
    "surname_native",
    "given_names_native",
    "date_of_birth",
    "document_number",
    "document_expires_on",
    "phone",
    "email",
    "temporary_address",
    "medical_details",
    "notes",
)


@dataclass(frozen=True)
class Anonymised:
    """How many of each thing one run changed, for the log."""

    people: int
    history_rows: int
    messages: int
    files: int


def year_only(born: date) -> date:
    month, day = BIRTHDAY_KEPT
    return date(born.year, month, day)


def anonymise_personal_data(operation: Operation) -> Anonymised:
    """Remove the operation's personal data everywhere Evac keeps it (see the module's note)."""
    # The admin log names people by the rows' ids, and a deleted person is found only in
    # the history; so it goes first, while that history is still there.
    _admin_log(operation)
    people = _citizens(operation)
    history_rows = _citizen_history(operation)
    message_ids = _notifications(operation)
    _staff_free_text(operation)
    files = _sms_file(message_ids) + _mail_folder(message_ids)
    return Anonymised(people, history_rows, len(message_ids), files)


def sessions_clear_expired() -> None:
    """Delete expired sessions, as `manage.py clearsessions` does.

    A portal session keeps the names and reference codes a visitor just registered; it
    expires within the hour, but the database keeps the row until someone clears it.
    """
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


# Batches -------------------------------------------------------------------------------


def _batches(queryset: models.QuerySet, key: str = "pk") -> Iterator[list[int]]:
    """The queryset's keys, BATCH at a time, in key order (a cursor, not OFFSET)."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(**{f"{key}__gt": last})
        keys = list(page.order_by(key).values_list(key, flat=True)[:BATCH])
        if not keys:
            return
        yield keys
        last = keys[-1]


# The database ---------------------------------------------------------------------------


def _citizens(operation: Operation) -> int:
    done = 0
    for ids in _batches(Citizen.objects.filter(operation=operation)):
        with transaction.atomic():
            people = list(
                Citizen.objects.filter(pk__in=ids).only("pk", "date_of_birth", "document_type")
            )
            for person in people:
                _anonymise_citizen(person)
            Citizen.objects.bulk_update(people, CITIZEN_FIELDS)
            ContactLogEntry.objects.filter(citizen__in=ids).exclude(note="").update(note="")
            # Hashes of codes that expired long ago: nothing to count, nothing to keep.
            OneTimeCode.objects.filter(citizen__in=ids).delete()
        done += len(people)
    return done


def _anonymise_citizen(person: Citizen) -> None:
    has_document = person.document_type != Citizen.DocumentType.NONE
    person.surname = ANONYMISED
    person.given_names = ""
    person.surname_native = ""
    person.given_names_native = ""
    person.date_of_birth = year_only(person.date_of_birth)
    # A document type other than "none" needs a number (a check constraint says so).
    person.document_number = ANONYMISED if has_document else ""
    person.document_expires_on = None
    person.phone = ""
    person.email = ""
    person.temporary_address = ""
    person.medical_details = ""
    person.notes = ""


def _citizen_history(operation: Operation) -> int:
    """Every history row of the operation's people, including people deleted since.

    Deleted rather than scrubbed: each row is a full copy of the person as they were, and
    who changed what in a record that no longer holds anything personal answers nothing.
    """
    history = Citizen.history.model.objects.filter(operation_id=operation.pk)
    deleted = 0
    for ids in _batches(history, key="history_id"):
        with transaction.atomic():
            deleted += Citizen.history.model.objects.filter(history_id__in=ids).delete()[0]
    return deleted


def _notifications(operation: Operation) -> list[int]:
    """Scrub every message of the operation; their ids, for the files written to."""
    N = Notification
    messages = N.objects.filter(operation=operation)
    ids: list[int] = []
    for batch in _batches(messages):
        with transaction.atomic():
            # A message whose text is gone must never go out.
            N.objects.filter(pk__in=batch, status=N.Status.PENDING).update(
                status=N.Status.CANCELLED
            )
            N.objects.filter(pk__in=batch).update(
                subject="",
                body="",
                parameters={},
                to_address="",
                last_error="",
                provider_message_id="",
            )
        ids.extend(batch)
    return ids


def _staff_free_text(operation: Operation) -> None:
    """Flight notes and transfer descriptions, now and in their history.

    They are about flights, but written in a hurry they name people ("stretcher for …"),
    and nothing counts them.
    """
    with transaction.atomic():
        for model, field in ((Flight, "notes"), (GroundTransfer, "description")):
            for rows in (model.objects, model.history.model.objects):
                rows.filter(operation_id=operation.pk).exclude(**{field: ""}).update(**{field: ""})


# Models whose name in the admin log can be a person's (a household "of SMITH John", a
# booking "SMITH John on PS9004"), with the way from each to its operation.
_ADMIN_LOGGED = (
    (Citizen, "operation_id"),
    (Household, "operation_id"),
    (ContactLogEntry, "citizen__operation_id"),
    (Booking, "flight__operation_id"),
    (Notification, "operation_id"),
    (OneTimeCode, "citizen__operation_id"),
)


def _admin_log(operation: Operation) -> None:
    """Names in django.contrib.admin's log of changes made there (object_repr)."""
    for model, to_operation in _ADMIN_LOGGED:
        content_type = ContentType.objects.get_for_model(model)
        # The admin log is small (the admin is for rare repairs): read its ids, then ask
        # which of them are this operation's, now or, once deleted, in their history.
        logged = {
            int(pk)
            for pk in LogEntry.objects.filter(content_type=content_type)
            .values_list("object_id", flat=True)
            .distinct()
            if pk and pk.isdigit()
        }
        if not logged:
            continue
        ours = set(
            model.objects.filter(pk__in=logged, **{to_operation: operation.pk}).values_list(
                "pk", flat=True
            )
        )
        history = getattr(model, "history", None)
        if history is not None and to_operation == "operation_id":
            ours |= set(
                history.model.objects.filter(id__in=logged, operation_id=operation.pk)
                .values_list("id", flat=True)
                .distinct()
            )
        elif model is Booking:
            flights = Flight.objects.filter(operation=operation).values("pk")
            ours |= set(
                Booking.history.model.objects.filter(id__in=logged, flight_id__in=flights)
                .values_list("id", flat=True)
                .distinct()
            )
        name = str(model._meta.verbose_name)
        for pk in ours:
            LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(
                object_repr=f"{name} {pk} ({ANONYMISED.lower()})", change_message=""
            )


# Files Evac wrote ------------------------------------------------------------------------


def _sms_file(message_ids: list[int]) -> int:
    """Blank the number and text of the operation's lines in the SMS file, in place.

    Worker processes keep appending to the file while this runs (O_APPEND, one write per
    line), so it is never replaced or truncated: each line of ours is overwritten with one
    of the same length (padded with spaces, which JSON allows), and nothing past the end
    read here is touched. Returns 1 if the file changed.
    """
    backend = import_string(settings.EVAC_SMS_BACKEND)
    path = Path(settings.EVAC_SMS_FILE)
    if not issubclass(backend, FileSmsBackend) or not path.exists() or not message_ids:
        return 0
    ours = {str(pk) for pk in message_ids}
    changed = 0
    fd = os.open(path, os.O_RDWR)
    try:
        offset = 0
        for line in _complete_lines(fd):
            scrubbed = _scrubbed_sms_line(line, ours)
            if scrubbed is not None:
                os.pwrite(fd, scrubbed, offset)
                changed = 1
            offset += len(line) + 1
    finally:
        os.close(fd)
    return changed


def _complete_lines(fd: int) -> list[bytes]:
    data = os.pread(fd, os.fstat(fd).st_size, 0)
    # A line still being written has no newline yet; it is someone else's, and left alone.
    return data.split(b"\n")[:-1]


def _scrubbed_sms_line(line: bytes, ours: set[str]) -> bytes | None:
    try:
        message = json.loads(line)
    except ValueError:
        return None
    if str(message.get("reference")) not in ours or not (message.get("to") or message.get("text")):
        return None
    blank = json.dumps({**message, "to": "", "text": ""}, ensure_ascii=False).encode()
    return blank.ljust(len(line), b" ")


_MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # Django's file e-mail backend, after each message


def _mail_folder(message_ids: list[int]) -> int:
    """Remove the operation's messages from the e-mail folder; returns the files changed.

    Each send writes a file of its own, which is never written again, so a file is
    rewritten (or deleted) whole. Messages are recognised by their X-Evac-Notification header.
    """
    backend = settings.EMAIL_BACKEND
    folder = Path(settings.EMAIL_FILE_PATH or "")
    if backend != "django.core.mail.backends.filebased.EmailBackend" or not folder.is_dir():
        return 0
    ours = {str(pk) for pk in message_ids}
    changed = 0
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        messages = path.read_bytes().split(_MAIL_SEPARATOR)
        kept = [m for m in messages if _notification_of(m) not in ours]
        if len(kept) == len(messages):
            continue
        if any(m.strip() for m in kept):
            temporary = path.with_name(path.name + ".anonymising")
            temporary.write_bytes(_MAIL_SEPARATOR.join(kept))
            temporary.replace(path)
        else:
            path.unlink()
        changed += 1
    return changed


def _notification_of(message: bytes) -> str | None:
    value = (
        BytesParser(policy=default).parsebytes(message, headersonly=True).get("X-Evac-Notification")
    )
    return None if value is None else str(value).strip()

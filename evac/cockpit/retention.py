"""Anonymising a closed operation: its people's personal data goes, its numbers stay.

Each app says which of its fields are personal and erases its own (evac/<app>/anonymise.py);
this module only calls them, in order. What goes, and what stays:
- people (people/anonymise.py): names, document number and expiry, phone, e-mail, temporary
  address, medical details and notes go; the date of birth keeps its year only; their
  history is deleted; contact notes go.
- portal (portal/anonymise.py): one-time codes are deleted.
- messages (notifications/anonymise.py): their text and address go, and so do the copies
  Evac wrote to files (the SMS file, the e-mail folder).
- flights (flights/anonymise.py): flight notes and transfer descriptions are emptied.
- the admin log (django.contrib.admin): the names of the operation's people, households,
  bookings and messages; who did it, when, and the id stay.
- sessions: expired ones, on every run (a portal session holds the names just registered).
The statistics (counts by status, city, flight and booking, the dashboard's chart and
evacuation numbers) stay exactly as they were.

Each batch of rows is changed in a transaction of its own, so anonymising 100,000 people
never holds one long transaction or its locks; the price is that a run that stops half-way
leaves the operation half done. Every step is idempotent and the operation is marked
anonymised only at the end, so the next run finishes the job.
"""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings

from evac.flights.anonymise import bookings_admin_log_forget, flights_free_text_erase
from evac.notifications.anonymise import notifications_admin_log_forget, notifications_anonymise
from evac.operations.models import Operation
from evac.people.anonymise import (
    citizen_history_delete,
    citizens_anonymise,
    people_admin_log_forget,
)
from evac.portal.anonymise import one_time_codes_admin_log_forget, one_time_codes_delete


@dataclass(frozen=True)
class Anonymised:
    """How many of each thing one run changed, for the log."""

    people: int
    history_rows: int
    messages: int
    files: int


def anonymise_personal_data(operation: Operation) -> Anonymised:
    """Remove the operation's personal data everywhere Evac keeps it (see the module's note)."""
    # The admin log names rows by their ids, and a deleted row is found only in its
    # history; so it goes first, while that history is still there.
    people_admin_log_forget(operation)
    bookings_admin_log_forget(operation)
    notifications_admin_log_forget(operation)
    one_time_codes_admin_log_forget(operation)
    people = citizens_anonymise(operation)
    one_time_codes_delete(operation)
    history_rows = citizen_history_delete(operation)
    messages, files = notifications_anonymise(operation)
    flights_free_text_erase(operation)
    return Anonymised(people, history_rows, messages, files)


def sessions_clear_expired() -> None:
    """Delete expired sessions, as `manage.py clearsessions` does.

    A portal session keeps the names and reference codes a visitor just registered; it
    expires within the hour, but the database keeps the row until someone clears it.
    """
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()

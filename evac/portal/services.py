"""What a citizen does on the public portal, through the same services staff use (by=None).

Each change is also written to the person's contact log ("Citizen portal: …"), so staff see
that the person was in touch, and the change itself is in the record's history.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from evac.core.errors import InvalidTransition
from evac.flights.models import Booking
from evac.flights.services import booking_set_status
from evac.notifications.services import registration_confirmed
from evac.operations.models import Operation
from evac.people.models import Citizen, ContactLogEntry
from evac.people.selectors import likely_duplicates
from evac.people.services import (
    citizen_register,
    citizen_set_status,
    citizen_update,
    contact_log_add,
    household_register,
)

# The contact log has no "web" channel (it belongs to evac/people); an online message is the
# nearest, and every portal entry's note starts with PORTAL_NOTE so staff can tell.
PORTAL_CHANNEL = ContactLogEntry.Channel.MESSENGER
PORTAL_NOTE = "Citizen portal"


@dataclass(frozen=True)
class Registration:
    registered: list[Citizen]
    # True when someone in it is already registered: nobody new was made.
    already_registered: bool = False


def _log(citizen: Citizen, note: str) -> None:
    contact_log_add(
        citizen=citizen,
        channel=PORTAL_CHANNEL,
        direction=ContactLogEntry.Direction.INBOUND,
        outcome=ContactLogEntry.Outcome.REACHED,
        note=f"{PORTAL_NOTE}: {note}",
        by=None,
    )


@transaction.atomic
def portal_register(
    *,
    operation: Operation,
    people: list[dict[str, Any]],
    place: dict[str, Any],
    status_url: str = "",
) -> Registration:
    """Register a person and those with them, or note a second attempt on the first record.

    A likely duplicate (same document, or same name and date of birth: the staff intake's
    rule) registers nobody; the person is only told to use the status page or call, and the
    existing records get a contact-log entry saying what was typed, for staff to follow up.
    """
    duplicates = likely_duplicates(operation, people)
    if duplicates:
        for pair in duplicates:
            for existing in pair.matches:
                _log(existing, _attempt_note(pair.person))
        return Registration([], already_registered=True)
    common = {"operation": operation, "source": Citizen.Source.SELF_REGISTRATION, "by": None}
    if len(people) == 1:
        registered = [citizen_register(**common, **place, **people[0])]
    else:
        household = household_register(**common, members=[{**place, **person} for person in people])
        registered = sorted(household.members.all(), key=lambda m: m.pk)
    for citizen in registered:
        registration_confirmed(citizen=citizen, status_url=status_url)
    return Registration(registered)


def _attempt_note(person: dict[str, Any]) -> str:
    given = [
        f"phone {person['phone']}" if person.get("phone") else "",
        f"e-mail {person['email']}" if person.get("email") else "",
    ]
    contacts = ", ".join(item for item in given if item) or "no phone or e-mail"
    return (
        "someone registered again with this person's document or name and date of birth "
        f"({contacts}). Nothing was changed; check with the person."
    )


def seat_to_confirm(citizen: Citizen) -> Booking | None:
    return citizen.bookings.filter(is_active=True, status=Booking.Status.BOOKED).first()


@transaction.atomic
def portal_confirm_seat(*, citizen: Citizen) -> Booking:
    booking = seat_to_confirm(citizen)
    if booking is None:
        raise InvalidTransition("There is no seat to confirm.")
    booking = booking_set_status(booking=booking, status=Booking.Status.CONFIRMED, by=None)
    _log(citizen, f"confirmed the seat on {booking.flight.number}.")
    return booking


@transaction.atomic
def portal_update_contacts(*, citizen: Citizen, **changes: Any) -> Citizen:
    """New phone, e-mail or address; only what differs is written."""
    allowed = {"phone", "email", "temporary_address"}
    changes = {k: v for k, v in changes.items() if k in allowed and v != getattr(citizen, k)}
    if changes:
        citizen = citizen_update(citizen=citizen, by=None, **changes)
        _log(citizen, "updated " + ", ".join(sorted(changes)) + ".")
    return citizen


@transaction.atomic
def portal_decide(*, citizen: Citizen, status: str) -> Citizen:
    """“I decided to stay” or “I left by my own means”: a held seat is freed for others."""
    if status not in (Citizen.Status.DECIDED_TO_STAY, Citizen.Status.LEFT_BY_OWN_MEANS):
        raise ValueError(f"not a decision a citizen makes on the portal: {status}")
    citizen = citizen_set_status(citizen=citizen, status=status, by=None)
    _log(citizen, f"says: {status.replace('_', ' ')}.")
    return citizen

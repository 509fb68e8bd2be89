"""What a citizen does on the public portal, through the same services staff use.

The actor is never `None`: a person registering is a CitizenActor with no record yet, and
every change to a record takes the one-time code sent to the contact on file, spent in the
change's own transaction (evac/portal/codes.py), so the services see the person who proved
who they are and allow them their own record only (evac/operations/access.py).

Each change is also written to the person's contact log ("Citizen portal: …"), so staff see
that the person was in touch, and the change itself is in the record's history.
"""

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from evac.core.clock import now
from evac.core.errors import InvalidTransition
from evac.flights.models import Booking, SeatOffer
from evac.flights.offers import offer_accept, offer_decline
from evac.flights.services import booking_set_status
from evac.notifications.addressing import citizen_address
from evac.notifications.models import Notification
from evac.notifications.services import registration_confirmed, registration_repeated
from evac.operations.access import CitizenActor, Permission, require_permission
from evac.operations.models import Operation
from evac.people.models import Citizen, ContactLogEntry
from evac.people.pairs_queue import queue_pairs_on_commit
from evac.people.selectors import likely_duplicates
from evac.people.services import (
    citizen_note_repeated_registration,
    citizen_set_status,
    citizen_update,
    contact_log_add,
    people_register,
)
from evac.portal.codes import one_time_code_check, one_time_code_spend
from evac.portal.decisions import refuse_children_on_board
from evac.portal.selectors import offer_to_answer

# The contact log has no "web" channel (it belongs to evac/people); an online message is the
# nearest, and every portal entry's note starts with PORTAL_NOTE so staff can tell.
PORTAL_CHANNEL = ContactLogEntry.Channel.MESSENGER
PORTAL_NOTE = "Citizen portal"
# The messages a registration sends, counted per phone or e-mail against the cap.
CONFIRMATION_KINDS = (
    Notification.Kind.REGISTRATION_CONFIRMATION,
    Notification.Kind.REGISTRATION_REPEATED,
)


def _log(citizen: Citizen, by: CitizenActor, note: str) -> None:
    contact_log_add(
        citizen=citizen,
        channel=PORTAL_CHANNEL,
        direction=ContactLogEntry.Direction.INBOUND,
        outcome=ContactLogEntry.Outcome.REACHED,
        note=f"{PORTAL_NOTE}: {note}",
        by=by,
    )


@contextmanager
def _proved(citizen: Citizen, code: str) -> Iterator[CitizenActor]:
    """The person, proved by `code`, inside the transaction of the change they make.

    The try is counted first, on its own (a refusal must not undo the count); the code is
    spent inside the transaction, so a change that fails leaves it usable. Raises CodeRefused.
    """
    checked = one_time_code_check(citizen=citizen, code=code)
    with transaction.atomic():
        yield one_time_code_spend(checked)


@transaction.atomic
def portal_register(
    *,
    operation: Operation,
    people: list[dict[str, Any]],
    place: dict[str, Any],
    status_url: str = "",
) -> list[Citizen]:
    """Register a person and those with them; a second attempt is noted on the first record.

    The caller answers every case alike, so the portal never says who is registered. A
    likely duplicate (people_register's rule) is not registered again: the existing record
    is flagged for staff, with a contact-log entry saying what was typed (and who was
    registered with them), and the person on file is told through their own phone or
    e-mail (once a day at most). The others typed with them are registered all the same, as
    a household of their own, so a family is not lost because one of them is on file. Each
    new person gets a confirmation with their reference code and those of everyone
    registered with them (one per phone or e-mail), unless it had too many lately
    (EVAC_PORTAL_CONFIRMATIONS_PER_DESTINATION).
    """
    by = CitizenActor(operation_id=operation.pk)
    # Checked before the search too, so a repeat costs what a registration costs.
    require_permission(by, operation, Permission.REGISTER_PEOPLE)
    duplicates = likely_duplicates(operation, people)
    on_file = {id(pair.person) for pair in duplicates}
    newcomers = [person for person in people if id(person) not in on_file]
    registered = []
    if newcomers:
        registered = people_register(
            operation=operation,
            source=Citizen.Source.SELF_REGISTRATION,
            by=by,
            people=newcomers,
            place=place,
            # Checked just above, in this transaction: these are not on file.
            register_anyway=True,
        )
    # The notes go in a savepoint of their own, as people_register's rows do: a repeat
    # costs about what a registration costs, and neither stands out.
    with transaction.atomic() if duplicates else nullcontext():
        for pair in duplicates:
            for existing in pair.matches:
                citizen_note_repeated_registration(
                    citizen=existing,
                    by=by,
                    channel=PORTAL_CHANNEL,
                    note=f"{PORTAL_NOTE}: {_attempt_note(pair.person, registered)}",
                )
                # The person on file hears of it where they are, not whoever typed.
                if confirmations_left(existing) > 0:
                    registration_repeated(citizen=existing)
    # One send to the broker whoever is on file (a send is work a stranger could time): the
    # worker scores the new records and those on file again, beside what was just typed.
    queue_pairs_on_commit(
        {citizen.pk for citizen in registered}
        | {existing.pk for pair in duplicates for existing in pair.matches}
    )
    told = set()
    for citizen in registered:
        address = citizen_address(citizen)
        # Each message names everyone's code: one is enough for a phone typed for several.
        if address is None or address.to.casefold() in told or confirmations_left(citizen) <= 0:
            continue
        registration_confirmed(citizen=citizen, status_url=status_url, registered_with=registered)
        told.add(address.to.casefold())
    return registered


def confirmations_left(citizen: Citizen) -> int:
    """How many more registration messages the person's phone or e-mail may get just now.

    Counted in the outbox (the database, so a flushed cache forgets nothing): anyone can
    type anyone's phone number into the form, and must not make it ring all day.
    """
    address = citizen_address(citizen)
    if address is None:
        return 0
    since = now() - timedelta(hours=settings.EVAC_PORTAL_CONFIRMATIONS_WINDOW_HOURS)
    sent = Notification.objects.filter(
        # An e-mail address is the same whatever its case (a phone is in E.164 already).
        to_address__iexact=address.to,
        kind__in=CONFIRMATION_KINDS,
        created_at__gte=since,
    ).count()
    return max(settings.EVAC_PORTAL_CONFIRMATIONS_PER_DESTINATION - sent, 0)


def _attempt_note(person: dict[str, Any], registered_with: list[Citizen]) -> str:
    given = [
        f"phone {person['phone']}" if person.get("phone") else "",
        f"e-mail {person['email']}" if person.get("email") else "",
    ]
    contacts = ", ".join(item for item in given if item) or "no phone or e-mail"
    return (
        "someone registered again with this person's document or name and date of birth "
        f"({contacts}). Nothing was changed; check with the person."
    ) + _with_note(registered_with)


def _with_note(registered_with: list[Citizen]) -> str:
    if not registered_with:
        return ""
    names = ", ".join(f"{c.given_names} {c.surname} ({c.reference})" for c in registered_with)
    return f" Registered with them as a new household: {names}."


def seat_to_confirm(citizen: Citizen) -> Booking | None:
    return citizen.bookings.filter(is_active=True, status=Booking.Status.BOOKED).first()


def is_seat_to_confirm(booking: Booking | None) -> bool:
    """Whether the person's active booking (read already) is one seat_to_confirm finds."""
    return booking is not None and booking.is_active and booking.status == Booking.Status.BOOKED


def portal_confirm_seat(*, citizen: Citizen, code: str) -> Booking:
    with _proved(citizen, code) as by:
        booking = seat_to_confirm(citizen)
        if booking is None:
            raise InvalidTransition("There is no seat to confirm.")
        booking = booking_set_status(booking=booking, status=Booking.Status.CONFIRMED, by=by)
        _log(citizen, by, f"confirmed the seat on {booking.flight.number}.")
    return booking


def portal_update_contacts(*, citizen: Citizen, code: str, **changes: Any) -> Citizen:
    """New phone, e-mail or address; only what differs is written."""
    allowed = {"phone", "email", "temporary_address"}
    changes = {k: v for k, v in changes.items() if k in allowed and v != getattr(citizen, k)}
    with _proved(citizen, code) as by:
        if changes:
            citizen = citizen_update(citizen=citizen, by=by, **changes)
            _log(citizen, by, "updated " + ", ".join(sorted(changes)) + ".")
    return citizen


def portal_decide(*, citizen: Citizen, status: str, code: str) -> Citizen:
    """“I decided to stay” or “I left by my own means”: a held seat is freed for others.

    Refused (ChildrenOnBoard) when it would leave the person's children on a flight without
    an adult of the household: only staff may allow that, with a reason (portal.decisions).
    """
    if status not in (Citizen.Status.DECIDED_TO_STAY, Citizen.Status.LEFT_BY_OWN_MEANS):
        raise ValueError(f"not a decision a citizen makes on the portal: {status}")
    with _proved(citizen, code) as by:
        refuse_children_on_board(citizen=citizen, status=status)
        citizen = citizen_set_status(citizen=citizen, status=status, by=by)
        _log(citizen, by, f"says: {status.replace('_', ' ')}.")
    return citizen


def portal_answer_offer(*, citizen: Citizen, code: str, accept: bool) -> SeatOffer:
    """Accept the seats held for the person (they become bookings) or decline them (they go
    to the next in line, and the person stays on the waiting list)."""
    with _proved(citizen, code) as by:
        offer = offer_to_answer(citizen)
        if offer is None:
            raise InvalidTransition(_("There is no seat offer to answer."))
        if accept:
            offer_accept(offer=offer, by=by)
            _log(citizen, by, f"accepted the seats offered on {offer.flight.number}.")
        else:
            offer_decline(offer=offer, by=by)
            _log(citizen, by, f"declined the seats offered on {offer.flight.number}.")
    return offer

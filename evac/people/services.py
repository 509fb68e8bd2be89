"""Every write to citizens, households and the contact log."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from evac.core.actor import user_of
from evac.core.clock import now
from evac.core.errors import Conflict, InvalidTransition
from evac.core.history import past_event_moment, record_by
from evac.operations.access import Actor, Permission, has_permission, require_permission
from evac.operations.models import Operation
from evac.people import hooks, status_words, time_counts
from evac.people.duplicates import SCORED_FIELDS, pairs_note
from evac.people.models import Citizen, ContactLogEntry, Household
from evac.people.selectors import PossibleDuplicate, likely_duplicates

# What an intake form, an import or the public registration may set on a person, in the
# order an officer asks for it on the phone; where the person stays comes last.
PERSON_FIELDS = (
    "surname",
    "given_names",
    "surname_native",
    "given_names_native",
    "date_of_birth",
    "sex",
    "nationality",
    "document_type",
    "document_number",
    "document_issuing_country",
    "document_expires_on",
    "phone",
    "email",
    "preferred_language",
    "preferred_channel",
    "medical_need",
    "medical_details",
    "reduced_mobility",
    "pregnant",
    "notes",
    "wheelchair",
    "stretcher",
)
PLACE_FIELDS = ("current_city", "temporary_address")
CITIZEN_EDITABLE_FIELDS = frozenset(PERSON_FIELDS + PLACE_FIELDS)
# Staff or the citizen decide these; "booked" and "evacuated" follow from the flights.
DECIDED_STATUSES = frozenset(
    {
        Citizen.Status.WAITING,
        Citizen.Status.LEFT_BY_OWN_MEANS,
        Citizen.Status.DECIDED_TO_STAY,
        Citizen.Status.UNREACHABLE,
    }
)


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - CITIZEN_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"citizen fields that can't be set here: {sorted(unknown)}")


# The needs that move a person up the waiting list; stated by the person alone, they wait
# for staff to confirm them (citizen_confirm_needs).
NEED_FIELDS = ("medical_need", "reduced_mobility", "pregnant")


class LikelyDuplicates(Conflict):
    """Someone to be registered may already be on file (same document, or name and birth)."""

    def __init__(self, duplicates: list[PossibleDuplicate]) -> None:
        super().__init__(_("Someone in this registration may already be registered."))
        self.duplicates = duplicates


@transaction.atomic
def people_register(
    *,
    operation: Operation,
    source: str,
    by: Actor,
    people: list[dict[str, Any]],
    place: dict[str, Any] | None = None,
    register_anyway: bool = False,
) -> list[Citizen]:
    """Register one person, or several who travel together as a household (head first).

    The one place that decides "a person or a household": staff intake, the portal, the API
    and imports all call it. Refuses with LikelyDuplicates when someone may already be on
    file, unless `register_anyway` (staff who checked). `place` (city, address) applies to
    everybody.
    """
    require_permission(by, operation, Permission.REGISTER_PEOPLE)
    if not people:
        raise ValueError("nobody to register")
    if not register_anyway:
        duplicates = likely_duplicates(operation, people)
        if duplicates:
            raise LikelyDuplicates(duplicates)
    members = [{**(place or {}), **person} for person in people]
    # One person is not a household: "household = no" in the list means travelling alone.
    if len(members) == 1:
        return [citizen_register(operation=operation, source=source, by=by, **members[0])]
    household = household_register(operation=operation, source=source, by=by, members=members)
    return sorted(household.members.all(), key=lambda m: (m.pk != household.head_id, m.pk))


def citizen_register(
    *,
    operation: Operation,
    source: str,
    by: Actor,
    household: Household | None = None,
    registered_at: datetime | None = None,
    **fields: Any,
) -> Citizen:
    """`registered_at`: when Evac itself records a registration that happened earlier."""
    require_permission(by, operation, Permission.REGISTER_PEOPLE)
    _check_fields(fields)
    registered_at = past_event_moment(by, registered_at)
    citizen = Citizen(operation=operation, source=source, household=household, **fields)
    if registered_at is not None:
        citizen.registered_at = registered_at
    # A need typed on the public portal is a claim until staff confirm it.
    citizen.needs_claimed = source == Citizen.Source.SELF_REGISTRATION and any(
        getattr(citizen, name) for name in NEED_FIELDS
    )
    citizen.full_clean()
    record_by(citizen, by, registered_at).save()
    # Not on the public portal: scoring there would make a new person cost more work than
    # a repeated one, telling a stranger whether someone is on file. portal_register asks
    # a worker to score, once per registration, whoever was typed.
    if source != Citizen.Source.SELF_REGISTRATION:
        pairs_note(operation=operation, citizen_ids=[citizen.pk])
    return citizen


@transaction.atomic
def household_register(
    *,
    operation: Operation,
    source: str,
    by: Actor,
    members: list[dict[str, Any]],
    registered_at: datetime | None = None,
) -> Household:
    """Register people who travel together; the first member is the head of the household."""
    require_permission(by, operation, Permission.REGISTER_PEOPLE)
    if not members:
        raise ValueError("a household needs at least one member")
    registered_at = past_event_moment(by, registered_at)
    household = record_by(Household(operation=operation), by, registered_at)
    if registered_at is not None:
        household.created_at = registered_at
    household.save()
    people = [
        citizen_register(
            operation=operation,
            source=source,
            by=by,
            household=household,
            registered_at=registered_at,
            **member,
        )
        for member in members
    ]
    household.head = people[0]
    record_by(household, by, registered_at).save(update_fields=["head"])
    return household


@transaction.atomic
def citizen_update(*, citizen: Citizen, by: Actor, **changes: Any) -> Citizen:
    """Change some of a person's fields. Messages still waiting to go out follow a new phone,
    e-mail, preferred channel or language, in the same transaction."""
    require_permission(by, citizen.operation, Permission.EDIT_CITIZENS, citizen_id=citizen.pk)
    _check_fields(changes)
    messages = hooks.messages()
    reach = None
    if changes.keys() & messages.MESSAGE_FIELDS:
        # From the row, not `citizen`: an edit form has set the new values on it already.
        stored = Citizen.objects.only(*messages.MESSAGE_FIELDS).get(pk=citizen.pk)
        reach = messages.citizen_reach(stored)
    for name, value in changes.items():
        setattr(citizen, name, value)
    citizen.full_clean()
    record_by(citizen, by).save(update_fields=[*changes.keys()])
    if reach is not None and messages.citizen_reach(citizen) != reach:
        messages.notifications_readdress(citizen=citizen)
    if changes.keys() & SCORED_FIELDS:
        pairs_note(operation=citizen.operation, citizen_ids=[citizen.pk])
    return citizen


@transaction.atomic
def citizen_saved_in_admin(*, citizen: Citizen, save: Callable[[], None]) -> None:
    """Save an edit made in the admin (or a revert to an old version) with `save`: it skips
    citizen_update, but messages still waiting must follow a new phone, e-mail or language
    all the same."""
    messages = hooks.messages()
    stored = Citizen.objects.only(*messages.MESSAGE_FIELDS).filter(pk=citizen.pk).first()
    reach = messages.citizen_reach(stored) if stored else None
    save()
    if stored is not None and messages.citizen_reach(citizen) != reach:
        messages.notifications_readdress(citizen=citizen)


# The order in which a page offers the decisions.
DECIDED_STATUS_ORDER = (
    Citizen.Status.DECIDED_TO_STAY,
    Citizen.Status.LEFT_BY_OWN_MEANS,
    Citizen.Status.UNREACHABLE,
    Citizen.Status.WAITING,
)


def citizen_status_choices(citizen: Citizen, *, by: Actor) -> list[str]:
    """The decisions citizen_set_status accepts from `by` for this person now, for a page."""
    if citizen_status_refusal(citizen=citizen, by=by):
        return []
    return [
        status
        for status in DECIDED_STATUS_ORDER
        if citizen.can_become(status)
        # As in citizen_set_status: a booked person is waiting again only by cancelling.
        and not (citizen.status == Citizen.Status.BOOKED and status == Citizen.Status.WAITING)
    ]


def citizen_status_refusal(*, citizen: Citizen, by: Actor) -> str:
    """Why `by` may not change this person's status at all now, or "" if they may.

    Every decision about a booked person (stays, left, unreachable) cancels their seat, and
    cancelling a seat is a coordinator's (Permission.CANCEL_SEAT_BY_STATUS): an officer who
    takes such a call logs it and asks a coordinator. The person may give up their own seat
    on the portal. citizen_set_status refuses with these words; pages say them beforehand.
    """
    if citizen.status != Citizen.Status.BOOKED or has_permission(
        by, citizen.operation, Permission.CANCEL_SEAT_BY_STATUS, citizen_id=citizen.pk
    ):
        return ""
    return _(
        "%(person)s holds a seat, and a change of status would cancel it: only a "
        "coordinator may cancel a seat. Log the call, and ask a coordinator to record "
        "the decision."
    ) % {"person": citizen}


@dataclass(frozen=True)
class CitizenStatusPreview:
    """What a decision would do, in plain words, or the refusal that stops it."""

    consequences: tuple[str, ...] = ()
    refusal: str = ""
    # Minors who would stay on the flight without an adult of their household: the change
    # is made only with a coordinator's reason (citizen_set_status's unaccompanied_reason).
    minors_left_on_board: tuple[Citizen, ...] = ()

    @property
    def needs_reason(self) -> bool:
        return bool(self.minors_left_on_board)


def citizen_status_preview(*, citizen: Citizen, status: str, by: Actor) -> CitizenStatusPreview:
    """What giving this person `status` would do to them, their seat and their household.

    Pages show it before the decision is confirmed; citizen_set_status refuses with the same
    words (citizen_status_refusal, _decision_refusal, evac.flights.minors).
    """
    refusal = _decision_refusal(citizen, status) or citizen_status_refusal(citizen=citizen, by=by)
    if refusal:
        return CitizenStatusPreview(refusal=refusal)
    seat = (
        citizen.bookings.filter(is_active=True).select_related("flight__departure_airport").first()
    )
    on_board, left_behind = hooks.seats().minors_affected(citizen, seat=seat, status=status)
    said = status_words.consequences(
        citizen,
        status,
        flight=seat.flight if seat else None,
        minors_on_board=on_board,
        minors_left_behind=left_behind,
    )
    return CitizenStatusPreview(consequences=tuple(said), minors_left_on_board=tuple(on_board))


def _decision_refusal(citizen: Citizen, status: str) -> str:
    """Why this person can't take `status` now, or ""; said by the preview and the service."""
    if status in (Citizen.Status.BOOKED, Citizen.Status.EVACUATED):
        return _("“Booked” and “evacuated” follow from the flights.")
    if status not in DECIDED_STATUSES:
        return _("A person who is %(status)s can't be given that status.") % {
            "status": citizen.get_status_display().lower()
        }
    if citizen.status == Citizen.Status.BOOKED and status == Citizen.Status.WAITING:
        return _("To put a booked person back on the waiting list, cancel the seat.")
    if not citizen.can_become(status):
        return _("A person who is %(old)s can't become %(new)s.") % {
            "old": citizen.get_status_display().lower(),
            "new": Citizen.Status(status).label.lower(),
        }
    return ""


@transaction.atomic
def citizen_set_status(
    *,
    citizen: Citizen,
    status: str,
    by: Actor,
    at: datetime | None = None,
    unaccompanied_reason: str = "",
) -> Citizen:
    """Record a decision: stays, left by own means, unreachable, or waiting again.

    A person who holds a seat loses it, so it can go to somebody who is waiting. `at`: when
    Evac itself records a decision taken earlier. An adult whose leaving would leave a minor
    of the household on the flight alone is refused, unless a coordinator gives
    `unaccompanied_reason` (as for booking_cancel).
    """
    require_permission(by, citizen.operation, Permission.EDIT_CITIZENS, citizen_id=citizen.pk)
    at = past_event_moment(by, at)
    if status not in DECIDED_STATUSES:
        raise InvalidTransition(_decision_refusal(citizen, status))
    seats = hooks.seats()
    seat = citizen.bookings.filter(is_active=True).first()
    flight = seats.seat_flight_locked(seat)  # flights first
    current = Citizen.objects.select_for_update().get(pk=citizen.pk)
    refusal = _decision_refusal(current, status)
    if refusal:
        raise InvalidTransition(refusal)
    refusal = citizen_status_refusal(citizen=current, by=by)
    if refusal:
        raise PermissionDenied(refusal)
    if current.status == Citizen.Status.BOOKED:
        return seats.seat_given_up(
            citizen=current,
            seat=seat,
            flight=flight,
            status=status,
            by=by,
            at=at,
            unaccompanied_reason=unaccompanied_reason,
        )
    current.status = status
    record_by(current, by, at).save(update_fields=["status"])
    return current


def contact_log_add(
    *,
    citizen: Citizen,
    channel: str,
    direction: str,
    outcome: str,
    by: Actor,
    note: str = "",
    at: datetime | None = None,
) -> ContactLogEntry:
    require_permission(by, citizen.operation, Permission.EDIT_CITIZENS, citizen_id=citizen.pk)
    return _contact_log_write(
        citizen=citizen,
        channel=channel,
        direction=direction,
        outcome=outcome,
        by=by,
        note=note,
        at=at,
    )


def _contact_log_write(
    *,
    citizen: Citizen,
    channel: str,
    direction: str,
    outcome: str,
    by: Actor,
    note: str,
    at: datetime | None,
) -> ContactLogEntry:
    entry = ContactLogEntry(
        citizen=citizen,
        channel=channel,
        direction=direction,
        outcome=outcome,
        note=note,
        at=at or now(),
        by=user_of(by),
    )
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        if entry.heard_from_citizen:
            # Only ever moves forward, so a late-logged old call doesn't hide a newer one.
            with time_counts.kept_for(citizen.pk):
                Citizen.objects.filter(pk=citizen.pk).exclude(
                    last_contacted_at__gte=entry.at
                ).update(last_contacted_at=entry.at)
    citizen.refresh_from_db(fields=["last_contacted_at"])
    return entry


@transaction.atomic
def citizen_note_repeated_registration(
    *, citizen: Citizen, by: Actor, channel: str, note: str
) -> Citizen:
    """Someone registered again with this person's details: flag the record for staff.

    Nothing else changes; the contact log says what was typed, so staff can check with the
    person (who is also told through their own contact on file, by the caller).
    """
    require_permission(by, citizen.operation, Permission.REGISTER_PEOPLE)
    moment = now()
    Citizen.objects.filter(pk=citizen.pk).update(registration_repeated_at=moment)
    citizen.registration_repeated_at = moment
    _contact_log_write(
        citizen=citizen,
        channel=channel,
        direction=ContactLogEntry.Direction.INBOUND,
        outcome=ContactLogEntry.Outcome.REACHED,
        by=by,
        note=note,
        at=moment,
    )
    return citizen


@transaction.atomic
def citizen_confirm_needs(*, citizen: Citizen, by: Actor) -> Citizen:
    """Staff checked the needs the person claimed: they count for the waiting list now."""
    require_permission(by, citizen.operation, Permission.CONFIRM_NEEDS)
    current = Citizen.objects.select_for_update().get(pk=citizen.pk)
    if not current.needs_claimed:
        raise InvalidTransition(_("There is no claimed need to confirm."))
    current.needs_claimed = False
    record_by(current, by).save(update_fields=["needs_claimed"])
    return current

"""Every write to flights and bookings, and the seat rules behind them.

Locks are always taken in the same order — flight, then citizens, then bookings — so two
of these functions can't deadlock. The seat counter moves only through conditional
UPDATEs, which PostgreSQL re-checks after waiting for a row lock and which SQLite runs one
writer at a time (IMMEDIATE transactions), so racing requests can't overbook; the
`flight_never_overbooked` constraint is the last line if a bug ever tries.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from evac.core.actor import user_of
from evac.core.clock import now
from evac.core.errors import Conflict, InvalidTransition
from evac.core.history import past_event_moment, record_by
from evac.flights import events
from evac.flights.minors import minors_left_alone, refuse_or_excuse, seat_leave_minors_check
from evac.flights.models import GATE_STATUSES, Booking, Flight, ManifestExport, SeatLoss
from evac.flights.plans import flight_plan_refusals
from evac.flights.previews import flight_status_preview

# The booking services' refusals, raised by the seat counter and caught by their callers.
from evac.flights.seats import FlightFull as FlightFull
from evac.flights.seats import FlightNotOpen as FlightNotOpen
from evac.flights.seats import (
    give_back_seats,
    seats_freed,
    take_seats,
    withdraw_live_offers,
)
from evac.flights.transfers import legs_leave_minors_check, release_legs
from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation
from evac.people.models import Citizen, Household

FLIGHT_EDITABLE_FIELDS = frozenset(
    {
        "number",
        "carrier",
        "kind",
        "departure_airport",
        "arrival_airport",
        "departs_at",
        "arrives_at",
        "report_minutes_before",
        "seats_total",
        "notes",
        "offers",
    }
)


class AlreadyBooked(Conflict):
    pass


def lock_flight(flight_id: int) -> Flight:
    return (
        Flight.objects.select_for_update(of=("self",))
        .select_related("operation", "departure_airport")
        .get(pk=flight_id)
    )


# Flights -----------------------------------------------------------------------------


def flight_create(
    *, operation: Operation, by: Actor, at: datetime | None = None, **fields
) -> Flight:
    """`at`: when the flight was planned, for Evac itself recording it later (the demo)."""
    require_permission(by, operation, Permission.PLAN_FLIGHTS)
    at = past_event_moment(by, at)
    unknown = set(fields) - FLIGHT_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"flight_create() got fields it can't set: {sorted(unknown)}")
    flight = Flight(operation=operation, **fields)
    _validate_plan(flight, before=None, at=at)
    record_by(flight, by, at).save()
    return flight


@transaction.atomic
def flight_update(*, flight: Flight, by: Actor, **changes) -> Flight:
    require_permission(by, flight.operation, Permission.PLAN_FLIGHTS)
    unknown = set(changes) - FLIGHT_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"flight_update() got fields it can't set: {sorted(unknown)}")
    # Locked and re-read, so seats_total is checked against the real seats_booked.
    flight = lock_flight(flight.pk)
    before = events.FlightPlan.of(flight)
    plan_before = Flight(
        departs_at=flight.departs_at, departure_airport_id=flight.departure_airport_id
    )
    for name, value in changes.items():
        setattr(flight, name, value)
    _validate_plan(flight, before=plan_before)
    record_by(flight, by).save()
    events.flight_updated(flight=flight, before=before)
    return flight


def _validate_plan(flight: Flight, *, before: Flight | None, at: datetime | None = None) -> None:
    """The model's checks and the plan's, all at once, each beside its field."""
    problems: dict = {}
    try:
        flight.full_clean()
    except ValidationError as error:
        problems = error.update_error_dict(problems)
    for name, message in flight_plan_refusals(flight, before=before, at=at).items():
        problems.setdefault(name, []).append(message)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def flight_saved_in_admin(*, flight: Flight, save: Callable[[], None]) -> None:
    """Save an edit made in the admin (or a revert to an old version) with `save`: it skips
    flight_update, but a new time, report time or airport must re-plan the reminders and
    reach the passengers all the same."""
    before = events.FlightPlan.of(Flight.objects.get(pk=flight.pk)) if flight.pk else None
    save()
    if before is not None:
        events.flight_updated(flight=flight, before=before)


@transaction.atomic
def flight_set_status(
    *, flight: Flight, status: str, by: Actor, at: datetime | None = None
) -> Flight:
    """Move a flight on; cancelling or departing also settles every passenger's fate.

    `at`: when it happened, for Evac itself recording it later (the demo's replay).
    """
    require_permission(by, flight.operation, Permission.PLAN_FLIGHTS)
    at = past_event_moment(by, at)
    flight = lock_flight(flight.pk)
    preview = flight_status_preview(flight=flight, status=status, at=at)
    if preview.refusal is not None:
        raise preview.refusal
    if flight.status == Flight.Status.OPEN:
        withdraw_live_offers(flight, by=by)
    active = list(
        flight.bookings.filter(is_active=True).select_related("citizen").order_by("citizen_id")
    )
    if status == Flight.Status.CANCELLED:
        for booking in active:
            release_seat(
                booking,
                by=by,
                citizen_status=Citizen.Status.WAITING,
                reason=SeatLoss.FLIGHT_CANCELLED,
                at=at,
            )
    elif status == Flight.Status.DEPARTED:
        for booking in active:
            _settle_at_departure(booking, by=by, at=at)
    flight.refresh_from_db(fields=["seats_booked"])
    flight.status = status
    record_by(flight, by, at).save(update_fields=["status"])
    events.flight_status_changed(flight=flight)
    return flight


def _settle_at_departure(booking: Booking, *, by: Actor, at: datetime | None = None) -> None:
    """Boarded passengers are evacuated; everyone else on the manifest is waiting again, and
    is told that the seat is gone."""
    citizen = booking.citizen
    if booking.status == Booking.Status.BOARDED:
        citizen.status = Citizen.Status.EVACUATED
    else:
        _set_booking_status(booking, Booking.Status.NO_SHOW, by=by, save=False, at=at)
        citizen.status = Citizen.Status.WAITING
    booking.is_active = False
    record_by(booking, by, at).save()
    record_by(citizen, by, at).save(update_fields=["status"])
    if citizen.status == Citizen.Status.WAITING:
        events.seat_released(booking=booking, reason=SeatLoss.NO_SHOW, lost_at=at)


# Bookings ----------------------------------------------------------------------------


def booking_create(
    *,
    flight: Flight,
    citizen: Citizen,
    by: Actor,
    at: datetime | None = None,
    unaccompanied_reason: str = "",
) -> Booking:
    """Give one person a seat. `at`: when, for Evac itself recording an earlier booking.

    A minor is booked only beside an adult of their household, or with the coordinator's
    `unaccompanied_reason` (evac.flights.minors).
    """
    (booking,) = _book(
        flight=flight,
        citizens=[citizen],
        by=by,
        at=at,
        unaccompanied_reason=unaccompanied_reason,
    )
    return booking


def household_book(
    *,
    flight: Flight,
    household: Household,
    by: Actor,
    at: datetime | None = None,
    unaccompanied_reason: str = "",
) -> list[Booking]:
    """Give every waiting member of a household a seat on the same flight, or nobody one.

    Members who decided to stay, left, were evacuated or can't be reached are not booked;
    a member who already holds a seat elsewhere stops the whole booking, so a family is
    never split across two flights by accident.
    """
    return _book(
        flight=flight,
        citizens=household_waiting_members(household),
        by=by,
        at=at,
        unaccompanied_reason=unaccompanied_reason,
    )


def household_waiting_members(household: Household) -> list[Citizen]:
    """The members a household booking seats (household_book, a journey): every waiting
    one; refused if any already holds a seat or nobody is waiting."""
    members = list(household.members.order_by("pk"))
    already_booked = [m for m in members if m.status == Citizen.Status.BOOKED]
    if already_booked:
        raise AlreadyBooked(
            _("%(names)s already hold a seat; cancel it before booking the household together.")
            % {"names": ", ".join(str(m) for m in already_booked)}
        )
    waiting = [m for m in members if m.status == Citizen.Status.WAITING]
    if not waiting:
        raise Conflict(_("Nobody in this household is waiting for a seat."))
    return waiting


@transaction.atomic
def _book(
    *,
    flight: Flight,
    citizens: Sequence[Citizen],
    by: Actor,
    at: datetime | None = None,
    unaccompanied_reason: str = "",
) -> list[Booking]:
    require_permission(by, flight.operation, Permission.MANAGE_BOOKINGS)
    at = past_event_moment(by, at)
    if any(c.operation_id != flight.operation_id for c in citizens):
        raise Conflict(_("A person can only be booked on a flight of their own operation."))
    take_seats(flight, len(citizens), at=at)
    return seat_people(
        flight=flight, citizens=citizens, by=by, at=at, unaccompanied_reason=unaccompanied_reason
    )


def seat_people(
    *,
    flight: Flight,
    citizens: Sequence[Citizen],
    by: Actor,
    at: datetime | None = None,
    unaccompanied_reason: str = "",
) -> list[Booking]:
    """Book people into seats already taken on the counter (take_seats, or an offer's hold).

    The caller has checked the permission and runs this in its transaction. A minor without
    an adult of the household on board needs `unaccompanied_reason` (evac.flights.minors).
    """
    locked = list(
        Citizen.objects.select_for_update().filter(pk__in=[c.pk for c in citizens]).order_by("pk")
    )
    not_waiting = [c for c in locked if c.status != Citizen.Status.WAITING]
    if not_waiting:
        raise AlreadyBooked(
            _("Only people who are waiting can be booked: %(names)s.")
            % {"names": ", ".join(f"{c} ({c.get_status_display().lower()})" for c in not_waiting)}
        )
    alone = {c.pk for c in minors_left_alone(flight, joining=locked)}
    reason = refuse_or_excuse(
        flight, [c for c in locked if c.pk in alone], reason=unaccompanied_reason
    )
    bookings = []
    for citizen in locked:
        citizen.status = Citizen.Status.BOOKED
        record_by(citizen, by, at).save(update_fields=["status"])
        booking = Booking(
            flight_id=flight.pk,
            citizen=citizen,
            created_by=user_of(by),
            status_changed_by=user_of(by),
            unaccompanied_reason=reason if citizen.pk in alone else "",
        )
        if at is not None:
            booking.created_at = booking.status_changed_at = at
        try:
            with transaction.atomic():
                record_by(booking, by, at).save()
        except IntegrityError:
            raise AlreadyBooked(_("%(name)s already holds a seat.") % {"name": citizen}) from None
        bookings.append(booking)
    events.bookings_made(bookings=bookings, booked_at=at)
    return bookings


@transaction.atomic
def booking_cancel(*, booking: Booking, by: Actor, unaccompanied_reason: str = "") -> Booking:
    """Cancel a seat: the seat is free again and the person is back on the waiting list.

    Refused when it would leave a minor of the household on the flight, or on a train or bus
    of the journey to it, without an adult, unless the coordinator gives
    `unaccompanied_reason`, written on the minors' seats.
    """
    require_permission(by, booking.flight.operation, Permission.MANAGE_BOOKINGS)
    flight = lock_flight(booking.flight_id)
    booking = Booking.objects.select_for_update().select_related("citizen").get(pk=booking.pk)
    if not booking.is_active:
        raise InvalidTransition(_("This seat is no longer active and can't be cancelled."))
    seat_leave_minors_check(flight, booking, by=by, unaccompanied_reason=unaccompanied_reason)
    legs_leave_minors_check(booking, by=by, unaccompanied_reason=unaccompanied_reason)
    return release_seat(
        booking, by=by, citizen_status=Citizen.Status.WAITING, reason=SeatLoss.STAFF_CANCELLED
    )


def release_seat(
    booking: Booking,
    *,
    by: Actor,
    citizen_status: str,
    reason: str,
    at: datetime | None = None,
) -> Booking:
    """Cancel a locked booking, free its seat, and give the person `citizen_status`.

    Every cancelled seat comes through here, so every person who loses one is told why
    (`reason`, a SeatLoss), in their language and on their channel.
    The caller holds the flight's lock and has checked that the change is allowed.
    """
    _set_booking_status(booking, Booking.Status.CANCELLED, by=by, save=False, at=at)
    booking.is_active = False
    record_by(booking, by, at).save()
    events.seat_released(booking=booking, reason=reason, lost_at=at)
    give_back_seats(booking.flight_id, 1)
    seats_freed(booking.flight_id)
    release_legs(booking, by=by, reason=reason)  # a journey's train or bus goes with it
    citizen = Citizen.objects.select_for_update().get(pk=booking.citizen_id)
    if citizen.status == Citizen.Status.BOOKED:
        citizen.status = citizen_status
        record_by(citizen, by, at).save(update_fields=["status"])
    booking.citizen = citizen
    return booking


@transaction.atomic
def booking_set_status(
    *, booking: Booking, status: str, by: Actor, at: datetime | None = None
) -> Booking:
    """Confirm, check in, board or mark a no-show. Cancelling is booking_cancel.

    `at`: when, for Evac itself recording an earlier change (the demo's replay).
    """
    at = past_event_moment(by, at)
    require_permission(
        by, booking.flight.operation, Permission.HANDLE_PASSENGERS, citizen_id=booking.citizen_id
    )
    if status == Booking.Status.CANCELLED:
        raise InvalidTransition(_("Use cancel to free a seat."))
    flight = lock_flight(booking.flight_id)
    booking = Booking.objects.select_for_update().select_related("citizen").get(pk=booking.pk)
    if not booking.is_active:
        raise InvalidTransition(_("This seat is no longer active."))
    if status in GATE_STATUSES and flight.status != Flight.Status.BOARDING:
        raise InvalidTransition(
            _("Passengers are marked boarded or no-show only while the flight is boarding.")
        )
    _set_booking_status(booking, status, by=by, save=True, at=at)
    return booking


def _set_booking_status(
    booking: Booking, status: str, *, by: Actor, save: bool, at: datetime | None = None
) -> None:
    if booking.status == status:
        return
    if not booking.can_become(status):
        raise InvalidTransition(
            _("A booking that is %(old)s can't become %(new)s.")
            % {
                "old": booking.get_status_display().lower(),
                "new": Booking.Status(status).label.lower(),
            }
        )
    booking.status = status
    booking.status_changed_at = at or now()
    booking.status_changed_by = user_of(by)
    if save:
        record_by(booking, by, at).save()


# Manifest exports ---------------------------------------------------------------------


def manifest_export_record(*, flight: Flight, by: Actor, format: str, rows: int) -> ManifestExport:
    """Write down that `by` took a copy of the manifest (whole documents: officers and
    coordinators only, see flights.manifest_files)."""
    require_permission(by, flight.operation, Permission.EXPORT_DOCUMENTS)
    export = ManifestExport(flight=flight, by=user_of(by), format=format, rows=rows)
    export.full_clean()
    export.save()
    return export

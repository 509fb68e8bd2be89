"""Every write to ground transfers and their seats, and the rules behind them.

A transfer is planned like a flight (coordinators) and filled through the same kind of
seat counter (flights.seats.take_transfer_seats, one conditional UPDATE). A household goes
whole, and a minor travels only beside an adult of their household or with a
coordinator's reason: the same rule as on flights (flights.minors), not a copy of it.

Locks are taken in the services' one order: flight, then transfers (by id), then citizens,
then seats; so a journey (flights.journeys) and these never deadlock.
"""

from collections.abc import Sequence
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
from evac.flights.models import Booking, GroundTransfer, SeatLoss, TransferSeat
from evac.flights.seats import give_back_transfer_seats, take_transfer_seats, transfer_seat_lost
from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation
from evac.people.models import Citizen, Household

TRANSFER_EDITABLE_FIELDS = frozenset(
    {
        "mode",
        "number",
        "operator",
        "from_city",
        "to_city",
        "departs_at",
        "arrives_at",
        "meeting_point",
        "meeting_map_url",
        "seats_total",
        "description",
    }
)
# Who may take a transfer seat: people still to be moved, whether or not they hold a
# flight seat already (the train takes them to it).
TRAVELLING = (Citizen.Status.WAITING, Citizen.Status.BOOKED)


class AlreadyOnTransfer(Conflict):
    pass


class NotWhereTransferLeaves(Conflict):
    pass


def lock_transfer(transfer_id: int) -> GroundTransfer:
    return (
        GroundTransfer.objects.select_for_update(of=("self",))
        .select_related("operation", "from_city", "to_city")
        .get(pk=transfer_id)
    )


def _validate(transfer: GroundTransfer) -> None:
    problems: dict = {}
    try:
        transfer.full_clean()
    except ValidationError as error:
        problems = error.update_error_dict(problems)
    if transfer.seats_total is not None and transfer.seats_total < transfer.seats_booked:
        problems.setdefault("seats_total", []).append(
            _("%(booked)d seats are taken already; cancel seats before lowering the total.")
            % {"booked": transfer.seats_booked}
        )
    if problems:
        raise ValidationError(problems)


def transfer_create(
    *, operation: Operation, by: Actor, at: datetime | None = None, **fields
) -> GroundTransfer:
    """Plan a transfer. `at`: when, for Evac itself recording an earlier plan."""
    require_permission(by, operation, Permission.PLAN_FLIGHTS)
    at = past_event_moment(by, at)
    unknown = set(fields) - TRANSFER_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"transfer_create() got fields it can't set: {sorted(unknown)}")
    transfer = GroundTransfer(operation=operation, **fields)
    _validate(transfer)
    record_by(transfer, by, at).save()
    return transfer


@transaction.atomic
def transfer_update(*, transfer: GroundTransfer, by: Actor, **changes) -> GroundTransfer:
    require_permission(by, transfer.operation, Permission.PLAN_FLIGHTS)
    unknown = set(changes) - TRANSFER_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"transfer_update() got fields it can't set: {sorted(unknown)}")
    transfer = lock_transfer(transfer.pk)
    if transfer.status not in (GroundTransfer.Status.SCHEDULED, GroundTransfer.Status.BOARDING):
        raise InvalidTransition(_("A transfer that has left or was cancelled can't change."))
    before = events.TransferPlan.of(transfer)
    for name, value in changes.items():
        setattr(transfer, name, value)
    _validate(transfer)
    record_by(transfer, by).save()
    # A new time or meeting point: everyone on it is told, and their reminders re-timed.
    events.transfer_updated(transfer=transfer, before=before)
    return transfer


@transaction.atomic
def transfer_set_status(
    *, transfer: GroundTransfer, status: str, by: Actor, at: datetime | None = None
) -> GroundTransfer:
    """Move a transfer on. Cancelling frees every seat and tells everyone on it; leaving
    settles each seat (boarded: done; anyone else: a no-show, told that it left without
    them; one on a journey is stranded between legs, flights.journeys); arriving puts those
    who boarded in the city it arrived in, where their flight leaves from. `at`: when, for
    Evac itself recording an earlier change."""
    require_permission(by, transfer.operation, Permission.PLAN_FLIGHTS)
    at = past_event_moment(by, at)
    transfer = lock_transfer(transfer.pk)
    if not transfer.can_become(status):
        raise InvalidTransition(
            _("A transfer that is %(old)s can't become %(new)s.")
            % {
                "old": transfer.get_status_display().lower(),
                "new": GroundTransfer.Status(status).label.lower(),
            }
        )
    seats = list(
        transfer.seats.select_for_update(of=("self",))
        .filter(is_active=True)
        .select_related("citizen", "connects_to")
        .order_by("citizen_id")
    )
    if status == GroundTransfer.Status.CANCELLED:
        for seat in seats:
            release_transfer_seat(seat, by=by, reason=SeatLoss.TRANSFER_CANCELLED)
    elif status == GroundTransfer.Status.DEPARTED:
        for seat in seats:
            missed = seat.status != TransferSeat.Status.BOARDED
            if missed:
                _set_seat_status(seat, TransferSeat.Status.NO_SHOW, by=by, at=at)
                seat.lost_because = SeatLoss.NO_SHOW
            seat.is_active = False
            record_by(seat, by, at).save()
            if missed:  # told, as for a cancelled one; a flight seat it led to stays
                transfer_seat_lost(seat, reason=SeatLoss.NO_SHOW)
    elif status == GroundTransfer.Status.ARRIVED:
        _arrived(transfer, by=by, at=at)
    transfer.refresh_from_db(fields=["seats_booked"])
    transfer.status = status
    record_by(transfer, by, at).save(update_fields=["status"])
    return transfer


def _arrived(transfer: GroundTransfer, *, by: Actor, at: datetime | None) -> None:
    """Who boarded is now in the city the transfer arrived in: that is where they wait,
    and where a flight takes them from."""
    aboard = Citizen.objects.select_for_update().filter(
        transfer_seats__transfer=transfer,
        transfer_seats__status=TransferSeat.Status.BOARDED,
        current_city_id=transfer.from_city_id,
    )
    for citizen in aboard.order_by("pk"):
        citizen.current_city_id = transfer.to_city_id
        record_by(citizen, by, at).save(update_fields=["current_city"])


# Seats ---------------------------------------------------------------------------------


def transfer_book(
    *,
    transfer: GroundTransfer,
    citizen: Citizen | None = None,
    household: Household | None = None,
    by: Actor,
    unaccompanied_reason: str = "",
) -> list[TransferSeat]:
    """A seat on the transfer for one person, or for every travelling member of a
    household (together or not at all)."""
    with transaction.atomic():
        require_permission(by, transfer.operation, Permission.MANAGE_BOOKINGS)
        people = travellers(citizen=citizen, household=household)
        take_transfer_seats(transfer, len(people))
        return seat_on_transfer(
            transfer=transfer,
            citizens=people,
            by=by,
            unaccompanied_reason=unaccompanied_reason,
        )


def travellers(*, citizen: Citizen | None, household: Household | None) -> list[Citizen]:
    """Who goes: the one person, or the household's members still to be moved."""
    if (citizen is None) == (household is None):
        raise TypeError("give a citizen or a household")
    if citizen is not None:
        return [citizen]
    members = [m for m in household.members.order_by("pk") if m.status in TRAVELLING]
    if not members:
        raise Conflict(_("Nobody in this household is still to be moved."))
    return members


def seat_on_transfer(
    *,
    transfer: GroundTransfer,
    citizens: Sequence[Citizen],
    by: Actor,
    connects_to: dict[int, Booking] | None = None,
    unaccompanied_reason: str = "",
    at: datetime | None = None,
) -> list[TransferSeat]:
    """Seat people in places already taken on the transfer's counter. The caller has checked
    the permission and runs this in its transaction. `connects_to`: each person's flight
    seat this leg leads to, when booked as a journey."""
    transfer = GroundTransfer.objects.select_related("from_city", "to_city").get(pk=transfer.pk)
    locked = list(
        Citizen.objects.select_for_update().filter(pk__in=[c.pk for c in citizens]).order_by("pk")
    )
    if any(c.operation_id != transfer.operation_id for c in locked):
        raise Conflict(_("A person can only travel on a transfer of their own operation."))
    not_travelling = [c for c in locked if c.status not in TRAVELLING]
    if not_travelling:
        raise AlreadyOnTransfer(
            _("Only people still to be moved can take a transfer: %(names)s.")
            % {
                "names": ", ".join(
                    f"{c} ({c.get_status_display().lower()})" for c in not_travelling
                )
            }
        )
    elsewhere = [c for c in locked if c.current_city_id not in (None, transfer.from_city_id)]
    if elsewhere and connects_to is None:
        raise NotWhereTransferLeaves(
            _("%(names)s are not in %(city)s, where the transfer leaves from.")
            % {"names": ", ".join(str(c) for c in elsewhere), "city": transfer.from_city}
        )
    alone = {c.pk for c in minors_left_alone(transfer, joining=locked)}
    reason = refuse_or_excuse(
        transfer, [c for c in locked if c.pk in alone], reason=unaccompanied_reason
    )
    seats = []
    for citizen in locked:
        seat = TransferSeat(
            transfer=transfer,
            citizen=citizen,
            connects_to=(connects_to or {}).get(citizen.pk),
            created_by=user_of(by),
            status_changed_by=user_of(by),
            unaccompanied_reason=reason if citizen.pk in alone else "",
        )
        if at is not None:
            seat.created_at = seat.status_changed_at = at
        try:
            with transaction.atomic():
                record_by(seat, by, at).save()
        except IntegrityError:
            raise AlreadyOnTransfer(
                _("%(name)s already holds a seat on this transfer.") % {"name": citizen}
            ) from None
        seats.append(seat)
    return seats


@transaction.atomic
def transfer_seat_cancel(
    *, seat: TransferSeat, by: Actor, unaccompanied_reason: str = ""
) -> TransferSeat:
    """Free one transfer seat; refused when it would leave a minor of the household on the
    transfer without an adult, unless the coordinator says why."""
    require_permission(by, seat.transfer.operation, Permission.MANAGE_BOOKINGS)
    transfer = lock_transfer(seat.transfer_id)
    seat = TransferSeat.objects.select_for_update().get(pk=seat.pk)
    if not seat.is_active:
        raise InvalidTransition(_("This seat is no longer active and can't be cancelled."))
    seat_leave_minors_check(transfer, seat, by=by, unaccompanied_reason=unaccompanied_reason)
    return release_transfer_seat(seat, by=by, reason=SeatLoss.STAFF_CANCELLED)


def release_transfer_seat(seat: TransferSeat, *, by: Actor, reason: str) -> TransferSeat:
    """Cancel a locked transfer seat, free it on the counter and tell the person why. The
    caller holds the transfer's lock and has checked the change is allowed."""
    _set_seat_status(seat, TransferSeat.Status.CANCELLED, by=by)
    seat.is_active = False
    seat.lost_because = reason
    record_by(seat, by).save()
    give_back_transfer_seats(seat.transfer_id, 1)
    transfer_seat_lost(seat, reason=reason)
    return seat


def release_legs(booking: Booking, *, by: Actor, reason: str) -> None:
    """Free the transfer seats that led to a flight seat just lost (a cancelled journey):
    each transfer is locked in id order, after the flight the caller holds."""
    legs = TransferSeat.objects.filter(connects_to=booking, is_active=True)
    for transfer_id in sorted(set(legs.values_list("transfer_id", flat=True))):
        lock_transfer(transfer_id)
    for seat in legs.select_for_update(of=("self",)).select_related("citizen", "connects_to"):
        release_transfer_seat(seat, by=by, reason=reason)


def legs_leave_minors_check(booking: Booking, *, by: Actor, unaccompanied_reason: str) -> None:
    """The minors rule on every leg that leads to a flight seat about to be cancelled (a
    cancelled journey frees them all: release_legs): a minor of the household must not stay
    on the train or bus without an adult of it, unless `unaccompanied_reason` is given. The
    same check as on the flight (flights.minors); each transfer is locked in id order, after
    the flight the caller holds."""
    legs = TransferSeat.objects.filter(connects_to=booking, is_active=True)
    for transfer_id in sorted(set(legs.values_list("transfer_id", flat=True))):
        transfer = lock_transfer(transfer_id)
        for seat in legs.filter(transfer_id=transfer_id).select_for_update(of=("self",)):
            seat_leave_minors_check(
                transfer, seat, by=by, unaccompanied_reason=unaccompanied_reason
            )


@transaction.atomic
def transfer_seat_set_status(
    *, seat: TransferSeat, status: str, by: Actor, at: datetime | None = None
) -> TransferSeat:
    """Boarded or no-show, as people get on the train or bus: only while it is boarding."""
    require_permission(
        by, seat.transfer.operation, Permission.HANDLE_PASSENGERS, citizen_id=seat.citizen_id
    )
    at = past_event_moment(by, at)
    if status == TransferSeat.Status.CANCELLED:
        raise InvalidTransition(_("Use cancel to free a seat."))
    transfer = lock_transfer(seat.transfer_id)
    seat = TransferSeat.objects.select_for_update().get(pk=seat.pk)
    if not seat.is_active:
        raise InvalidTransition(_("This seat is no longer active."))
    if transfer.status != GroundTransfer.Status.BOARDING:
        raise InvalidTransition(
            _("Passengers are marked boarded or no-show only while the transfer is boarding.")
        )
    _set_seat_status(seat, status, by=by, at=at)
    record_by(seat, by, at).save()
    return seat


def _set_seat_status(
    seat: TransferSeat, status: str, *, by: Actor, at: datetime | None = None
) -> None:
    if seat.status == status:
        return
    if not seat.can_become(status):
        raise InvalidTransition(
            _("A seat that is %(old)s can't become %(new)s.")
            % {
                "old": seat.get_status_display().lower(),
                "new": TransferSeat.Status(status).label.lower(),
            }
        )
    seat.status = status
    seat.status_changed_at = at or now()
    seat.status_changed_by = user_of(by)

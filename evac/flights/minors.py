"""A minor never flies without an adult of their household, unless a coordinator says why.

"Minor" is judged on the day of travel (the departure's local date), not today: a child who
turns 18 the week before the flight travels as an adult. The booking and cancelling services
ask `minors_left_alone` who would be on board without an adult of their household, and
refuse unless the coordinator gave a reason, which is written on each such minor's booking.

The same rule holds on a transfer's train or bus: the seat functions take a `flight` that is
a Flight or a GroundTransfer, read through what both have (departs_local, active_seats,
trip_name).
"""

from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from evac.core.actor import Actor
from evac.core.clock import today
from evac.core.errors import Conflict
from evac.core.history import record_by
from evac.flights.models import Booking, Flight, GroundTransfer, TransferSeat
from evac.operations.models import Operation
from evac.people.models import Citizen, Household

Trip = Flight | GroundTransfer


class MinorWithoutAdult(Conflict):
    """A minor would be on board without an adult of their household, and no reason was given."""

    # The input that is the way through: the API names it as the field in error.
    field = "unaccompanied_reason"


def is_minor_on(flight: Trip, citizen: Citizen) -> bool:
    return citizen.age_on(flight.departs_local.date()) < settings.EVAC_MINOR_UNDER_AGE


def minors_left_alone(
    flight: Trip, *, joining: Iterable[Citizen] = (), leaving: Iterable[int] = ()
) -> list[Citizen]:
    """The minors who would hold a seat on `flight` with no adult of their household on it,
    once `joining` are booked and the seats of the citizens with ids `leaving` are gone.

    Only minors among `joining`, or in a household someone is `leaving`, are looked at: a
    minor already on board alone was allowed so by a coordinator before.
    """
    joining = list(joining)
    leaving = set(leaving)
    on_board = [
        booking.citizen
        for booking in flight.active_seats.select_related("citizen")
        if booking.citizen_id not in leaving
    ]
    aboard = {c.pk: c for c in [*on_board, *joining]}
    households_leaving = {
        c.household_id for c in Citizen.objects.filter(pk__in=leaving) if c.household_id
    }
    joining_ids = {c.pk for c in joining}
    adults_by_household = {
        c.household_id
        for c in aboard.values()
        if c.household_id is not None and not is_minor_on(flight, c)
    }
    return [
        c
        for c in aboard.values()
        if is_minor_on(flight, c)
        and (c.pk in joining_ids or c.household_id in households_leaving)
        and c.household_id not in adults_by_household
    ]


def refuse_or_excuse(flight: Trip, alone: list[Citizen], *, reason: str) -> str:
    """Raise MinorWithoutAdult when `alone` is not empty and no reason was given; else the
    reason to write on their bookings (empty when nobody is alone)."""
    if not alone:
        return ""
    reason = " ".join(reason.split())
    if not reason:
        raise MinorWithoutAdult(
            _(
                "%(names)s would be on %(flight)s without an adult of their household. Book "
                "an adult of the household on the same flight, or give the reason they may "
                "travel without one (a coordinator's decision, recorded on the manifest)."
            )
            % {"names": ", ".join(str(c) for c in alone), "flight": flight.trip_name}
        )
    return reason


def excuse_on_board(
    flight: Trip, alone: list[Citizen], reason: str
) -> list[Booking | TransferSeat]:
    """Write `reason` on the active seats of `alone` on `flight` (already seated minors
    whose adult leaves), and return them for the caller to save with its history."""
    bookings = list(
        flight.active_seats.select_for_update().filter(citizen_id__in=[c.pk for c in alone])
    )
    for booking in bookings:
        booking.unaccompanied_reason = reason
    return bookings


def seat_leave_minors_check(
    flight: Trip, booking: Booking | TransferSeat, *, by: Actor, unaccompanied_reason: str
) -> None:
    """Refuse to free `booking` if a minor of the household would stay on board without an
    adult, unless `unaccompanied_reason` is given: then it is written on their bookings.
    The caller holds the flight's lock."""
    alone = minors_left_alone(flight, leaving=[booking.citizen_id])
    reason = refuse_or_excuse(flight, alone, reason=unaccompanied_reason)
    for seat in excuse_on_board(flight, alone, reason):
        record_by(seat, by).save(update_fields=["unaccompanied_reason"])


# Households left without an adult ----------------------------------------------------------

# Who still has to travel: a minor in one of these statuses needs an adult beside them.
STILL_TRAVELLING = (Citizen.Status.WAITING, Citizen.Status.BOOKED)


def _is_minor(citizen: Citizen, seat: Flight | None) -> bool:
    """A minor on the day of their flight, or today while they wait for one."""
    if seat is not None:
        return is_minor_on(seat, citizen)
    return citizen.age_on(today()) < settings.EVAC_MINOR_UNDER_AGE


def household_minors_alone(
    members: Sequence[Citizen], *, seats: Mapping[int, Booking]
) -> list[Citizen]:
    """The minors among `members` (one household) who have no adult of it to travel with.

    A waiting minor needs an adult who is waiting too (they are booked together); a booked
    minor needs an adult booked on the same flight, unless a coordinator wrote why not on
    the seat. `seats`: each booked member's active booking, by citizen id. An adult who
    stays, left by their own means, is unreachable or is booked on another flight leaves
    them alone.
    """
    waiting_adult = any(
        m.status == Citizen.Status.WAITING and not _is_minor(m, None) for m in members
    )
    flights_with_adult = {
        seats[m.pk].flight_id
        for m in members
        if m.pk in seats and not _is_minor(m, seats[m.pk].flight)
    }
    alone = []
    for member in members:
        seat = seats.get(member.pk)
        flight = seat.flight if seat is not None else None
        if member.status not in STILL_TRAVELLING or not _is_minor(member, flight):
            continue
        if seat is None:
            if member.status == Citizen.Status.WAITING and not waiting_adult:
                alone.append(member)
        elif seat.flight_id not in flights_with_adult and not seat.unaccompanied_reason:
            alone.append(member)
    return alone


def minors_left_behind(
    citizen: Citizen, *, status: str, on_board: Iterable[Citizen] = ()
) -> list[Citizen]:
    """The minors of `citizen`'s household who would have no adult to travel with once
    `citizen` takes `status` (and loses any seat), besides those already `on_board` alone."""
    if citizen.household_id is None:
        return []
    members = list(Citizen.objects.filter(household_id=citizen.household_id).order_by("pk"))
    seats = {
        b.citizen_id: b
        for b in Booking.objects.filter(
            is_active=True, citizen__household_id=citizen.household_id
        ).select_related("flight__departure_airport__city")
    }
    before = {m.pk for m in household_minors_alone(members, seats=seats)}
    decided = copy(citizen)
    decided.status = status
    after = household_minors_alone(
        [decided if m.pk == citizen.pk else m for m in members],
        seats={pk: b for pk, b in seats.items() if pk != citizen.pk},
    )
    told = before | {m.pk for m in on_board}
    return [m for m in after if m.pk not in told]


@dataclass(frozen=True)
class HouseholdAlone:
    """A household whose minors have no adult of it to travel with (flights.minors_kept
    stores them; the pages read them from there)."""

    household: Household
    minors: list[Citizen]


def minor_overrides(operation: Operation) -> QuerySet[Booking]:
    """Active seats a coordinator gave a minor without an adult of the household, with why."""
    return (
        Booking.objects.filter(flight__operation=operation, is_active=True)
        .exclude(unaccompanied_reason="")
        .select_related("citizen", "flight")
        .order_by("flight__departs_at", "citizen__surname", "citizen__given_names", "pk")
    )

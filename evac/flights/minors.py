"""A minor never flies without an adult of their household, unless a coordinator says why.

"Minor" is judged on the day of travel (the departure's local date), not today: a child who
turns 18 the week before the flight travels as an adult. The booking and cancelling services
ask `minors_left_alone` who would be on board without an adult of their household, and
refuse unless the coordinator gave a reason, which is written on each such minor's booking.
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from evac.core.actor import Actor
from evac.core.errors import Conflict
from evac.core.history import record_by
from evac.flights.models import Booking, Flight
from evac.people.models import Citizen


class MinorWithoutAdult(Conflict):
    """A minor would be on board without an adult of their household, and no reason was given."""


def is_minor_on(flight: Flight, citizen: Citizen) -> bool:
    return citizen.age_on(flight.departs_local.date()) < settings.EVAC_MINOR_UNDER_AGE


def minors_left_alone(
    flight: Flight, *, joining: Iterable[Citizen] = (), leaving: Iterable[int] = ()
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
        for booking in flight.bookings.filter(is_active=True).select_related("citizen")
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


def refuse_or_excuse(flight: Flight, alone: list[Citizen], *, reason: str) -> str:
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
            % {"names": ", ".join(str(c) for c in alone), "flight": flight.number}
        )
    return reason


def excuse_on_board(flight: Flight, alone: list[Citizen], reason: str) -> list[Booking]:
    """Write `reason` on the active bookings of `alone` on `flight` (already seated minors
    whose adult leaves), and return them for the caller to save with its history."""
    bookings = list(
        flight.bookings.select_for_update().filter(
            is_active=True, citizen_id__in=[c.pk for c in alone]
        )
    )
    for booking in bookings:
        booking.unaccompanied_reason = reason
    return bookings


def seat_leave_minors_check(
    flight: Flight, booking: Booking, *, by: Actor, unaccompanied_reason: str
) -> None:
    """Refuse to free `booking` if a minor of the household would stay on board without an
    adult, unless `unaccompanied_reason` is given: then it is written on their bookings.
    The caller holds the flight's lock."""
    alone = minors_left_alone(flight, leaving=[booking.citizen_id])
    reason = refuse_or_excuse(flight, alone, reason=unaccompanied_reason)
    for seat in excuse_on_board(flight, alone, reason):
        record_by(seat, by).save(update_fields=["unaccompanied_reason"])

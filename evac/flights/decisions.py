"""A person's own decision (stays, left by own means, unreachable) and the seat they hold.

People's status services (citizen_status_preview, citizen_set_status) ask this through
people.hooks, where FlightsConfig.ready registers this module: people sit below flights and
never import them.
"""

from datetime import datetime

from django.utils.translation import gettext as _

from evac.core.actor import Actor
from evac.core.errors import Conflict
from evac.flights.minors import minors_left_alone, minors_left_behind, seat_leave_minors_check
from evac.flights.models import Booking, Flight, SeatLoss
from evac.flights.services import lock_flight, release_seat
from evac.people.models import Citizen


def seat_flight_locked(seat: Booking | None) -> Flight | None:
    """The seat's flight, locked before the person's row: flights first, as every seat
    service locks them."""
    return lock_flight(seat.flight_id) if seat is not None else None


def minors_affected(
    citizen: Citizen, *, seat: Booking | None, status: str
) -> tuple[list[Citizen], list[Citizen]]:
    """The minors of the household the decision would leave on board without an adult, and
    those it would leave behind without one."""
    on_board = minors_left_alone(seat.flight, leaving=[citizen.pk]) if seat else []
    return on_board, minors_left_behind(citizen, status=status, on_board=on_board)


def seat_given_up(
    *,
    citizen: Citizen,
    seat: Booking | None,
    flight: Flight | None,
    status: str,
    by: Actor,
    at: datetime | None,
    unaccompanied_reason: str,
) -> Citizen:
    """A booked person's decision: their seat (read as `seat` before the locks) is released
    with the decision as its reason. `citizen` is locked, `flight` is seat_flight_locked's."""
    booking = Booking.objects.select_for_update().filter(citizen=citizen, is_active=True).first()
    if seat is None or booking is None or booking.pk != seat.pk:
        raise Conflict(_("This person's seat changed a moment ago; please try again."))
    seat_leave_minors_check(flight, booking, by=by, unaccompanied_reason=unaccompanied_reason)
    # The seat is lost because of this decision: SeatLoss names each one alike.
    reason = SeatLoss(status)
    return release_seat(booking, by=by, citizen_status=status, reason=reason, at=at).citizen

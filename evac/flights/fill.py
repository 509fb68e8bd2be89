"""Filling a flight's free seats from the waiting list, in its order: each unit (a household
together, or one person) booked through the booking services, in its own transaction."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from evac.core.errors import Conflict
from evac.flights.models import Booking, Flight
from evac.flights.seats import FlightFull, FlightNotOpen, refuse_closed
from evac.flights.selectors import WaitingUnit, waiting_units_in_turn
from evac.flights.services import booking_create, household_book
from evac.operations.access import Actor, Permission, require_permission
from evac.people.models import Household
from evac.places.models import City


@dataclass(frozen=True)
class SkippedUnit:
    unit: WaitingUnit
    reason: str


@dataclass(frozen=True)
class FillResult:
    booked: list[Booking] = field(default_factory=list)
    skipped: list[SkippedUnit] = field(default_factory=list)

    @property
    def booked_count(self) -> int:
        return len(self.booked)


def waiting_unit_book(*, flight: Flight, unit: WaitingUnit, by: Actor) -> list[Booking]:
    """Book one unit of the waiting list: a household together, or one person."""
    if unit.household_id is not None:
        household = Household.objects.get(pk=unit.household_id, operation_id=flight.operation_id)
        return household_book(flight=flight, household=household, by=by)
    return [booking_create(flight=flight, citizen=unit.members[0], by=by)]


def flight_fill_from_waiting_list(
    *, flight: Flight, by: Actor, limit: int | None = None, city: City | None = None
) -> FillResult:
    """Give the flight's free seats (at most `limit`) to the waiting list, in its order.

    A household that doesn't fit in the seats still free is skipped, and smaller units
    after it still get their chance, so the list is read a hundred units at a time, as far
    down as it takes. Each unit is booked in its own transaction through booking_create or
    household_book, so a unit someone else booked a moment ago is skipped with the reason,
    and the seats already given stay given.
    """
    require_permission(by, flight.operation, Permission.MANAGE_BOOKINGS)
    flight.refresh_from_db()
    refuse_closed(flight)
    seats = flight.seats_left if limit is None else min(limit, flight.seats_left)
    result = FillResult()
    for unit in waiting_units_in_turn(flight.operation, city=city):
        if seats <= 0:
            break
        if not unit.can_be_booked:
            reason = _("%(names)s already hold a seat on another flight.") % {
                "names": ", ".join(str(m) for m in unit.seated_elsewhere)
            }
            result.skipped.append(SkippedUnit(unit, reason))
            continue
        if unit.size > seats:
            reason = _("%(size)d people travel together; %(seats)d seats were left.") % {
                "size": unit.size,
                "seats": seats,
            }
            result.skipped.append(SkippedUnit(unit, reason))
            continue
        try:
            bookings = waiting_unit_book(flight=flight, unit=unit, by=by)
        except FlightNotOpen as error:  # closed meanwhile: keep what was booked, stop
            result.skipped.append(SkippedUnit(unit, error.message))
            break
        except FlightFull as error:  # someone else took seats meanwhile
            result.skipped.append(SkippedUnit(unit, error.message))
            seats = min(seats, flight.seats_left)  # _book refreshed the flight
            continue
        except Conflict as error:  # this unit was booked or changed meanwhile
            result.skipped.append(SkippedUnit(unit, error.message))
            continue
        result.booked.extend(bookings)
        seats -= len(bookings)
    return result

"""Filling a flight's free seats from the waiting list, in its order, and the preview of it.

The preview walks the list by the same rules as the fill and books nothing: which units the
fill would book now, and why each unit it passes over does not fit. Seats can change between
the two (someone books, a household grows), so the fill says again what it did.
"""

from collections.abc import Callable
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
    # The units booked, in the list's order; in a preview, the units the fill would book.
    units: list[WaitingUnit] = field(default_factory=list)
    booked: list[Booking] = field(default_factory=list)  # empty in a preview
    skipped: list[SkippedUnit] = field(default_factory=list)
    seats_left: int = 0  # free seats before the fill

    @property
    def booked_count(self) -> int:
        return len(self.booked)

    @property
    def people_count(self) -> int:
        """The people booked (or, in a preview, who would be)."""
        return sum(unit.size for unit in self.units)


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
    return _walk(
        flight,
        by=by,
        limit=limit,
        city=city,
        book=lambda unit: waiting_unit_book(flight=flight, unit=unit, by=by),
    )


def flight_fill_preview(
    *, flight: Flight, by: Actor, limit: int | None = None, city: City | None = None
) -> FillResult:
    """What flight_fill_from_waiting_list would book now, and why the units it passes over
    do not fit, without booking anything. The same people may ask as may fill."""
    return _walk(flight, by=by, limit=limit, city=city, book=None)


def _walk(
    flight: Flight,
    *,
    by: Actor,
    limit: int | None,
    city: City | None,
    book: Callable[[WaitingUnit], list[Booking]] | None,
) -> FillResult:
    require_permission(by, flight.operation, Permission.MANAGE_BOOKINGS)
    flight.refresh_from_db()
    refuse_closed(flight)
    seats = flight.seats_left if limit is None else min(limit, flight.seats_left)
    result = FillResult(seats_left=flight.seats_left)
    for unit in waiting_units_in_turn(flight.operation, city=city):
        if seats <= 0:
            break
        reason = _refusal(unit, seats)
        if reason:
            result.skipped.append(SkippedUnit(unit, reason))
            continue
        if book is None:
            result.units.append(unit)
            seats -= unit.size
            continue
        try:
            bookings = book(unit)
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
        result.units.append(unit)
        result.booked.extend(bookings)
        seats -= len(bookings)
    return result


def _refusal(unit: WaitingUnit, seats: int) -> str:
    """Why the unit does not fit the `seats` still free, or "" when it does."""
    if not unit.can_be_booked:
        return _("%(names)s already hold a seat on another flight.") % {
            "names": ", ".join(str(m) for m in unit.seated_elsewhere)
        }
    if unit.size > seats:
        return _("%(size)d people travel together; %(seats)d seats were left.") % {
            "size": unit.size,
            "seats": seats,
        }
    return ""

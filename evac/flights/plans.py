"""What no real flight can be: the plan's rules, for flight_create, flight_update and the admin.

Each refusal is named by the field it is about, so a form shows it beside that field.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from evac.core.clock import now
from evac.flights.models import Flight


def flight_plan_refusals(
    flight: Flight, *, before: Flight | None, at: datetime | None = None
) -> dict[str, str]:
    """What no real flight can be. `before` is the saved plan when editing, None when new;
    `at` the moment it is judged at (now, or when Evac itself records a past plan).

    Times and the airport are judged when they are set or changed, so an old flight's notes
    can still be edited after its departure has passed or its airport was suspended.
    """
    refusals: dict[str, str] = {}
    if flight.seats_total is not None and flight.seats_total > settings.EVAC_FLIGHT_MAX_SEATS:
        refusals["seats_total"] = _(
            "No aircraft carries more than %(max)d passengers; check the number of seats."
        ) % {"max": settings.EVAC_FLIGHT_MAX_SEATS}
    moment = at or now()
    new_time = flight.departs_at is not None and (
        before is None or flight.departs_at != before.departs_at
    )
    latest = moment + timedelta(days=settings.EVAC_FLIGHT_MAX_DAYS_AHEAD)
    if new_time and flight.departs_at < moment:
        refusals["departs_at"] = _(
            "This departure time has already passed; give a time that is still ahead."
        )
    elif new_time and flight.departs_at > latest:
        refusals["departs_at"] = _(
            "A flight can be planned at most %(days)d days ahead; check the date."
        ) % {"days": settings.EVAC_FLIGHT_MAX_DAYS_AHEAD}
    airport = flight.departure_airport if flight.departure_airport_id else None
    new_airport = airport is not None and (
        before is None or flight.departure_airport_id != before.departure_airport_id
    )
    if new_airport and not airport.is_open:
        refusal = _("%(airport)s is suspended; choose an open airport.") % {"airport": airport}
        refusals["departure_airport"] = f"{refusal} {airport.status_note}".strip()
    if airport is not None and flight.operation_id and flight.departs_at and flight.number:
        twin = _same_number_same_day(flight)
        if twin is not None:
            refusals["number"] = _(
                "Flight %(number)s already departs on %(date)s; a flight number flies once a "
                "day. Check the number or the date."
            ) % {
                "number": twin.number,
                "date": formats.date_format(twin.departs_local.date(), "j M Y"),
            }
    return refusals


def _flight_number_key(number: str) -> str:
    return "".join(number.split()).upper()  # "PS 9004" and "ps9004" are one flight


def _same_number_same_day(flight: Flight) -> Flight | None:
    """Another flight of the operation with this number on the same local day, if any."""
    day = flight.departure_airport.local_time(flight.departs_at).date()
    nearby = (
        flight.operation.flights.exclude(pk=flight.pk)
        .exclude(status=Flight.Status.CANCELLED)
        .filter(departs_at__range=(flight.departs_at - _DAY, flight.departs_at + _DAY))
        .select_related("departure_airport__city")
    )
    key = _flight_number_key(flight.number)
    return next(
        (
            other
            for other in nearby
            if _flight_number_key(other.number) == key and other.departs_local.date() == day
        ),
        None,
    )


# Wider than any gap between two local days' worth of zones (UTC-12 to UTC+14).
_DAY = timedelta(hours=40)

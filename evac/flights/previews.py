"""What a flight's status change would do, or why it can't happen, said once.

`flight_set_status` refuses with the refusal this module finds, and the confirmation page
shows the same preview before anyone presses the button, so the two can never disagree.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evac.core.clock import now
from evac.core.errors import Conflict, InvalidTransition
from evac.flights.models import Booking, Flight
from evac.flights.selectors import booking_counts

_F = Flight.Status


@dataclass(frozen=True)
class StatusPreview:
    """A change's consequence in plain words, or the refusal that stops it."""

    consequence: str
    refusal: Conflict | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def refusal_message(self) -> str:
        return self.refusal.message if self.refusal is not None else ""


def flight_status_preview(
    *, flight: Flight, status: str, at: datetime | None = None
) -> StatusPreview:
    """What moving `flight` to `status` would do to its passengers, or why it can't.

    `at`: the moment it is judged at (now, or when Evac itself records a past change).
    """
    refusal = _refusal(flight, status, at or now())
    if refusal is not None:
        return StatusPreview(consequence="", refusal=refusal)
    return StatusPreview(consequence=_consequence(flight, status, booking_counts(flight)))


def departs_earliest(flight: Flight) -> datetime:
    """The first moment a flight may be marked departed: a few hours before its time."""
    return flight.departs_at - timedelta(hours=settings.EVAC_FLIGHT_DEPARTS_EARLY_HOURS)


def _refusal(flight: Flight, status: str, moment: datetime) -> Conflict | None:
    if not flight.can_become(status):
        return InvalidTransition(
            _("A flight that is %(old)s can't become %(new)s.")
            % {
                "old": flight.get_status_display().lower(),
                "new": Flight.Status(status).label.lower(),
            }
        )
    airport = flight.departure_airport
    if status in (_F.OPEN, _F.BOARDING) and not airport.is_open:
        refusal = _("%(airport)s is suspended; move the flight to an open airport first.") % {
            "airport": airport
        }
        return Conflict(f"{refusal} {airport.status_note}".strip())
    if status == _F.DEPARTED and moment < departs_earliest(flight):
        local = airport.local_time(departs_earliest(flight))
        return Conflict(
            _(
                "%(flight)s is due to leave at %(time)s on %(date)s (local time); it can be "
                "marked departed from %(earliest)s. If it left early, change its departure "
                "time first."
            )
            % {
                "flight": flight.number,
                "time": formats.time_format(flight.departs_local, "H:i"),
                "date": formats.date_format(flight.departs_local, "j M Y"),
                "earliest": formats.time_format(local, "H:i"),
            }
        )
    return None


def _consequence(flight: Flight, status: str, counts: dict[str, int]) -> str:
    holding = sum(n for booking_status, n in counts.items() if booking_status != "cancelled")
    boarded = counts[Booking.Status.BOARDED]
    values = {
        "flight": flight.number,
        "n": holding,
        "boarded": boarded,
        "others": holding - boarded,
        "left": flight.seats_left,
    }
    if status == _F.CANCELLED:
        text = ngettext(
            "Cancelling %(flight)s returns %(n)d passenger to the waiting list.",
            "Cancelling %(flight)s returns %(n)d passengers to the waiting list.",
            holding,
        )
    elif status == _F.DEPARTED:
        text = ngettext(
            "Marking %(flight)s departed records %(boarded)d boarded passenger as evacuated; ",
            "Marking %(flight)s departed records %(boarded)d boarded passengers as evacuated; ",
            boarded,
        ) + ngettext(
            "%(others)d passenger who did not board is marked no-show and returns to the "
            "waiting list.",
            "%(others)d passengers who did not board are marked no-show and return to the "
            "waiting list.",
            holding - boarded,
        )
    elif status == _F.BOARDING:
        text = ngettext(
            "Starting boarding of %(flight)s closes booking; %(n)d passenger can be marked "
            "boarded or no-show at the gate.",
            "Starting boarding of %(flight)s closes booking; %(n)d passengers can be marked "
            "boarded or no-show at the gate.",
            holding,
        )
    elif status == _F.OPEN and flight.status == _F.BOARDING:
        text = ngettext(
            "Reopening %(flight)s for booking stops boarding; %(n)d passenger keeps their "
            "seat and gate mark.",
            "Reopening %(flight)s for booking stops boarding; %(n)d passengers keep their "
            "seats and gate marks.",
            holding,
        )
    elif status == _F.OPEN:
        text = ngettext(
            "Opening %(flight)s for booking lets coordinators give its %(left)d free seat to "
            "people on the waiting list.",
            "Opening %(flight)s for booking lets coordinators give its %(left)d free seats to "
            "people on the waiting list.",
            flight.seats_left,
        )
    elif status == _F.PLANNED:
        text = ngettext(
            "Taking %(flight)s back to planned stops new bookings; %(n)d passenger keeps "
            "their seat.",
            "Taking %(flight)s back to planned stops new bookings; %(n)d passengers keep "
            "their seats.",
            holding,
        )
    else:
        text = _(
            "Marking %(flight)s landed changes nothing for its passengers: their fate was "
            "settled when it departed."
        )
    return text % values

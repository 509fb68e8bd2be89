"""Small pieces the flight pages share: time to departure, a passenger's vulnerability."""

from datetime import datetime

from django import template
from django.utils.translation import gettext as _

from evac.core import timefmt
from evac.core.clock import now
from evac.flights.models import FINISHED_STATUSES, Booking, Flight
from evac.flights.selectors import gate_search_text
from evac.people.models import Citizen

register = template.Library()


@register.filter
def time_to_departure(flight: Flight, moment: datetime | None = None) -> str:
    """“in 3 days, 4 hours”, “departed”, or how long ago a flight that hasn't left was due."""
    if flight.status == Flight.Status.CANCELLED:
        return _("cancelled")
    if flight.status in FINISHED_STATUSES:
        return _("departed")
    return timefmt.time_to_departure(flight.departs_at, moment or now())


@register.filter
def needs(citizen: Citizen) -> list[str]:
    """Why a person goes first, in words: medical need, reduced mobility, pregnancy, age."""
    words = []
    if citizen.medical_need:
        words.append(_("medical need"))
    if citizen.reduced_mobility:
        words.append(_("reduced mobility"))
    if citizen.pregnant:
        words.append(_("pregnancy"))
    if citizen.needs_claimed:
        # Stated on the portal and not yet confirmed: it doesn't count for the order.
        words = [_("%(need)s (claimed)") % {"need": word} for word in words]
    if citizen.is_minor:
        words.append(_("minor"))
    elif citizen.is_elderly:
        words.append(_("elderly"))
    return words


@register.filter
def search_text(booking: Booking) -> str:
    """What the boarding page's instant search looks in; the page shows no whole document."""
    return gate_search_text(booking, whole_document=False)

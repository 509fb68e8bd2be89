"""Small pieces the flight pages share: time to departure, a passenger's vulnerability."""

from datetime import datetime, timedelta

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evac.core.clock import now
from evac.flights.models import Booking, Flight
from evac.flights.selectors import FINISHED_STATUSES, gate_search_text
from evac.people.models import Citizen

register = template.Library()


def _span(delta: timedelta) -> str:
    """2 days 3 h, 5 h 20 min, 12 min: the two largest units are enough at a glance."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        text = ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
        return f"{text} {_('%(n)d h') % {'n': hours}}" if hours else text
    if hours:
        text = _("%(n)d h") % {"n": hours}
        return f"{text} {_('%(n)d min') % {'n': minutes}}" if minutes else text
    return _("%(n)d min") % {"n": minutes}


@register.filter
def time_to_departure(flight: Flight, moment: datetime | None = None) -> str:
    """“in 2 days 3 h”, “departed”, or how late a flight that hasn't left yet is."""
    moment = moment or now()
    if flight.status == Flight.Status.CANCELLED:
        return _("cancelled")
    if flight.status in FINISHED_STATUSES:
        return _("departed")
    if flight.departs_at > moment:
        return _("in %(span)s") % {"span": _span(flight.departs_at - moment)}
    return _("due %(span)s ago") % {"span": _span(moment - flight.departs_at)}


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
    if citizen.is_minor:
        words.append(_("minor"))
    elif citizen.is_elderly:
        words.append(_("elderly"))
    return words


@register.filter
def search_text(booking: Booking) -> str:
    return gate_search_text(booking)

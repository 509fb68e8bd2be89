"""How far away a departure is, in the same words on every page that says it."""

from datetime import datetime

from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _


def time_to_departure(departs_at: datetime, now: datetime) -> str:
    """“in 3 days, 4 hours”, or “departure time passed 4 years, 10 months ago”.

    The two largest units are enough at a glance. A departure time that has come is "passed"
    whether or not the flight has left: only its status says that.
    """
    if departs_at > now:
        return _("in %(time)s") % {"time": timeuntil(departs_at, now, depth=2)}
    return _("departure time passed %(time)s ago") % {"time": timesince(departs_at, now, depth=2)}

"""One seam for "now", so tests can move the clock without patching Django.

`pinned(moment)` runs a block as if it were `moment`: every rule that asks `now()` (a
flight may not be planned in the past, a seat may not be booked after departure) then
judges by that moment. Tests use it to build a past the rules allow, and a story loader
can play events at the times they happened.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_pinned: ContextVar[datetime | None] = ContextVar("evac_clock_pinned", default=None)


def now() -> datetime:
    return _pinned.get() or timezone.now()


def today() -> date:
    return timezone.localdate(_pinned.get() or timezone.now())


@contextmanager
def pinned(moment: datetime) -> Iterator[datetime]:
    """Within the block, `now()` is `moment` (and `today()` its date)."""
    token = _pinned.set(moment)
    try:
        yield moment
    finally:
        _pinned.reset(token)

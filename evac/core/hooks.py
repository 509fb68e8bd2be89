"""A place a lower layer leaves for a higher one to fill when Django starts.

Layers only point down (docs/architecture.md), yet some work set off below must run above:
a booking's message, a decision's seat. The lower layer declares a Slot and calls what is in
it; the higher layer's AppConfig.ready fills it. flights/events.py and people/hooks.py hold
the slots.
"""

from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Slot(Generic[T]):
    """What a lower layer calls and a higher one provides. Empty, it fails loudly rather
    than silently leaving the work above undone."""

    def __init__(self, what: str, *, filled_by: str) -> None:
        self.what = what
        self.filled_by = filled_by
        self._provider: T | None = None

    def fill(self, provider: T) -> None:
        self._provider = provider

    def __call__(self) -> T:
        if self._provider is None:
            raise ImproperlyConfigured(
                f"Nothing provides {self.what}: is {self.filled_by} installed?"
            )
        return self._provider

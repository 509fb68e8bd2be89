from datetime import datetime

from django.db.models import Model

from evac.core.actor import EVAC, Actor, user_of


def record_by(instance: Model, by: Actor, at: datetime | None = None) -> Model:
    """Name who is making the next save in the change history (None: Evac itself), and when,
    if it is a past event being recorded now (`at`; otherwise the clock's now)."""
    instance._history_user = user_of(by)
    if at is not None:
        instance._history_date = at
    return instance


def past_event_moment(by: Actor, at: datetime | None) -> datetime | None:
    """`at` is when a past event happened, for Evac itself recording it (the demo's replay of
    January 2022). People act now: a member of staff or a citizen may not pass a time."""
    if at is not None and by is not EVAC:
        raise ValueError("only Evac itself (by=EVAC) records an event at a past moment")
    return at

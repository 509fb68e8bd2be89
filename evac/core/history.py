from django.db.models import Model

from evac.core.actor import Actor


def record_by(instance: Model, by: Actor) -> Model:
    """Name who is making the next save in the change history (None: Evac itself)."""
    instance._history_user = by if getattr(by, "is_authenticated", False) else None
    return instance

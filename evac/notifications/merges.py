"""What a merge of two records of one person does to their messages: every message moves to
the kept record, and those still waiting go to its contact details (notifications_readdress).
Registered with people.merges (NotificationsConfig.ready)."""

from evac.notifications.addressing import notifications_readdress
from evac.notifications.models import Notification
from evac.people.merges import MergeStep
from evac.people.models import Citizen


def _check(kept: Citizen, dropped: Citizen) -> None:
    """Messages never stop a merge."""


def _move(kept: Citizen, dropped: Citizen) -> dict:
    moved = list(Notification.objects.filter(citizen=dropped).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=moved).update(citizen=kept)
    notifications_readdress(citizen=kept)
    return {"messages": moved}


def _check_undo(kept: Citizen, data: dict) -> None:
    """Messages never stop an undo."""


def _undo(kept: Citizen, dropped: Citizen, data: dict) -> None:
    Notification.objects.filter(pk__in=data.get("messages", [])).update(citizen=dropped)
    notifications_readdress(citizen=kept)
    notifications_readdress(citizen=dropped)


STEP = MergeStep(app="notifications", check=_check, move=_move, check_undo=_check_undo, undo=_undo)

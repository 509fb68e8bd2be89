"""Who is acting: a staff user, an anonymous visitor, a person on the public portal, or None
for Evac itself (a task, the demo loader). operations/access.py says what each may do."""

from dataclasses import dataclass
from typing import ClassVar, TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True)
class CitizenActor:
    """A person acting for themselves on the public portal: never staff, never anonymous.

    `citizen_id` is the record they proved is theirs with a one-time code (made only by
    evac/portal/codes.py, once the code is spent); None while they register themselves,
    before there is a record to prove.
    """

    operation_id: int
    citizen_id: int | None = None
    # Read like a user by record_by and contact_log_add: nobody on staff did this.
    is_authenticated: ClassVar[bool] = False
    is_superuser: ClassVar[bool] = False

    def __str__(self) -> str:
        return "the person, on the portal"


Actor: TypeAlias = AbstractBaseUser | AnonymousUser | CitizenActor | None


def user_of(by: Actor) -> AbstractBaseUser | None:
    """The staff member to name as the author of a change: a signed-in user, or None for
    Evac itself and for a person acting on the portal."""
    return by if getattr(by, "is_authenticated", False) else None

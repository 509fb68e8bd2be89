"""Who is acting: a staff user, an anonymous visitor, a person on the public portal, or
`EVAC`, Evac itself (a task, the demo loader). operations/access.py says what each may do.

There is no "nobody": a service called with no actor (None) is refused, so a caller that
forgot to say who acts can never run with Evac's own rights."""

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


@dataclass(frozen=True)
class EvacItself:
    """Evac acting on its own schedule or load: a Celery task, the beat, the demo loader,
    a management command. Allowed everything; named "Evac" in the change history."""

    is_authenticated: ClassVar[bool] = False
    is_superuser: ClassVar[bool] = False

    def __str__(self) -> str:
        return "Evac"


EVAC = EvacItself()

Actor: TypeAlias = AbstractBaseUser | AnonymousUser | CitizenActor | EvacItself


def user_of(by: Actor) -> AbstractBaseUser | None:
    """The staff member to name as the author of a change: a signed-in user, or None for
    Evac itself and for a person acting on the portal."""
    if by is None:
        raise TypeError("no actor: pass the user, the CitizenActor or EVAC")
    return by if getattr(by, "is_authenticated", False) else None

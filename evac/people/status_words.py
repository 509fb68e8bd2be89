"""What a status decision does, in plain words: the sentences of citizen_status_preview.

The preview (people/services.py) finds the facts — the seat, the minors left without an
adult — and this module only says them, so the page, the portal and the service agree.
"""

from datetime import datetime
from typing import Protocol

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evac.people.models import Citizen

_STATUS_CONSEQUENCES = {
    Citizen.Status.DECIDED_TO_STAY: gettext_lazy(
        "They leave the waiting list and are not offered a seat. If they change "
        "their mind, put them back on the waiting list."
    ),
    Citizen.Status.LEFT_BY_OWN_MEANS: gettext_lazy(
        "They leave the waiting list: they no longer need a seat from us."
    ),
    Citizen.Status.UNREACHABLE: gettext_lazy(
        "They leave the waiting list until somebody reaches them; then put them "
        "back on the waiting list."
    ),
    Citizen.Status.WAITING: gettext_lazy(
        "They go back on the waiting list and can be booked on a flight."
    ),
}


class Departure(Protocol):
    """What is said of a seat's flight (a flights.Flight)."""

    number: str

    @property
    def departs_local(self) -> datetime: ...


def _names(people: list[Citizen]) -> str:
    return ", ".join(str(p) for p in people)


def consequences(
    citizen: Citizen,
    status: str,
    *,
    flight: Departure | None,
    minors_on_board: list[Citizen],
    minors_left_behind: list[Citizen],
) -> list[str]:
    """The sentences, in order: the seat, the waiting list, then the household."""
    said = []
    if flight is not None:
        said.append(
            _(
                "%(person)s holds a seat on %(flight)s on %(date)s (%(time)s local time); "
                "marking them as %(status)s cancels that booking and frees the seat for "
                "someone who is waiting."
            )
            % {
                "person": citizen,
                "flight": flight.number,
                "date": formats.date_format(flight.departs_local, _("j M")),
                "time": formats.time_format(flight.departs_local, "H:i"),
                "status": Citizen.Status(status).label.lower(),
            }
        )
    said.append(str(_STATUS_CONSEQUENCES[status]))
    if minors_on_board and flight is not None:
        said.append(
            _(
                "%(names)s would stay on %(flight)s without an adult of their household. "
                "The change is made only with the reason they may travel without one; it "
                "is written on their seats and shown on the manifest."
            )
            % {"names": _names(minors_on_board), "flight": flight.number}
        )
    if minors_left_behind:
        said.append(
            _(
                "%(names)s would have no adult of the household left to travel with: they "
                "can be booked only with a coordinator's reason, and the household shows "
                "as a warning on the dashboard and the waiting list."
            )
            % {"names": _names(minors_left_behind)}
        )
    elif citizen.household_id is not None and not minors_on_board:
        said.append(
            _(
                "Other members of the household keep their own status; change theirs "
                "separately if they decided together."
            )
        )
    return said

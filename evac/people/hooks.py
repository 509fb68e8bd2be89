"""What people ask of the two layers above them, which offer it here when Django starts.

A person's status follows their seat, and the messages waiting for them follow their phone,
e-mail and language. Seats (flights) and messages (notifications) stand above people, so
people's services never import them: FlightsConfig.ready and NotificationsConfig.ready
register what they offer, and the services call it inside their own transaction, so a
decision and its seat, or a new phone and its messages, commit together.
"""

from datetime import datetime
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from evac.core.actor import Actor
from evac.people.models import Citizen


class Seats(Protocol):
    """evac.flights.decisions: a person's decision and the seat they hold."""

    def seat_flight_locked(self, seat: Any) -> Any: ...
    def minors_affected(
        self, citizen: Citizen, *, seat: Any, status: str
    ) -> tuple[list[Citizen], list[Citizen]]: ...
    def seat_given_up(
        self,
        *,
        citizen: Citizen,
        seat: Any,
        flight: Any,
        status: str,
        by: Actor,
        at: datetime | None,
        unaccompanied_reason: str,
    ) -> Citizen: ...


class Messages(Protocol):
    """evac.notifications.addressing: where a person's messages go, and rewriting them."""

    MESSAGE_FIELDS: frozenset[str]

    def citizen_reach(self, citizen: Citizen) -> object: ...
    def notifications_readdress(self, *, citizen: Citizen) -> int: ...


_seats: Seats | None = None
_messages: Messages | None = None


def provide_seats(provider: Seats) -> None:
    global _seats
    _seats = provider


def provide_messages(provider: Messages) -> None:
    global _messages
    _messages = provider


# Loud rather than silent: a decision that kept a seat, or a new phone whose messages went
# to the old one, would be wrong without anyone noticing.
def seats() -> Seats:
    if _seats is None:
        raise ImproperlyConfigured("Nothing provides seats to people: is evac.flights installed?")
    return _seats


def messages() -> Messages:
    if _messages is None:
        raise ImproperlyConfigured(
            "Nothing provides messages to people: is evac.notifications installed?"
        )
    return _messages

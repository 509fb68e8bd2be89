"""What people ask of the two layers above them, which offer it here when Django starts.

A person's status follows their seat, and the messages waiting for them follow their phone,
e-mail and language. Seats (flights) and messages (notifications) stand above people, so
people's services never import them: FlightsConfig.ready and NotificationsConfig.ready
register what they offer, and the services call it inside their own transaction, so a
decision and its seat, or a new phone and its messages, commit together.
"""

from datetime import datetime
from typing import Any, Protocol

from evac.core.actor import Actor
from evac.core.hooks import Slot
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


# Filled by FlightsConfig.ready and NotificationsConfig.ready.
seats: Slot[Seats] = Slot("seats to people", filled_by="evac.flights")
messages: Slot[Messages] = Slot("messages to people", filled_by="evac.notifications")

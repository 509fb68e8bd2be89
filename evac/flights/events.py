"""What flights tell the layer above them when seats and flights change.

Flights sit below notifications, so they never import it. Notifications registers itself here
when Django starts (NotificationsConfig.ready), and the flight, booking and offer services
call these functions in the transaction that makes the change, so a seat and its messages
commit together or not at all, as they did when the services called notifications directly.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from evac.core.hooks import Slot
from evac.flights.models import Booking, Flight, GroundTransfer, SeatOffer, TransferSeat


@dataclass(frozen=True)
class FlightPlan:
    """What a flight's messages say about it; a change to any of these is news to people."""

    departs_at: datetime
    report_at: datetime
    departure_airport_id: int
    arrival_airport_id: int

    @classmethod
    def of(cls, flight: Flight) -> "FlightPlan":
        return cls(
            flight.departs_at,
            flight.report_at,
            flight.departure_airport_id,
            flight.arrival_airport_id,
        )


@dataclass(frozen=True)
class TransferPlan:
    """What the messages of a transfer's people say about it: a change is news to them."""

    departs_at: datetime
    arrives_at: datetime
    from_city_id: int
    to_city_id: int
    meeting_point: str

    @classmethod
    def of(cls, transfer: GroundTransfer) -> "TransferPlan":
        return cls(
            transfer.departs_at,
            transfer.arrives_at,
            transfer.from_city_id,
            transfer.to_city_id,
            transfer.meeting_point,
        )


class Listener(Protocol):
    """Who hears of seats and flights (evac.notifications.travel): each call runs in the
    transaction of the change it tells of."""

    def bookings_made(
        self, *, bookings: Sequence[Booking], booked_at: datetime | None = None
    ) -> object: ...
    def flight_updated(self, *, flight: Flight, before: FlightPlan) -> object: ...
    def flight_status_changed(self, *, flight: Flight) -> object: ...
    def seat_released(
        self, *, booking: Booking, reason: str, lost_at: datetime | None = None
    ) -> object: ...
    def seats_offered(self, *, offers: Sequence[SeatOffer]) -> object: ...
    def seat_offers_ended(self, *, offers: Sequence[SeatOffer]) -> object: ...
    def transfer_seat_released(self, *, seat: TransferSeat, reason: str) -> object: ...
    def journey_booked(self, *, bookings: Sequence[Booking]) -> object: ...
    def transfer_updated(self, *, transfer: GroundTransfer, before: TransferPlan) -> object: ...


# Who hears of every change; NotificationsConfig.ready fills it.
listener: Slot[Listener] = Slot("a listener to flights", filled_by="evac.notifications")


def bookings_made(*, bookings: Sequence[Booking], booked_at: datetime | None = None) -> None:
    listener().bookings_made(bookings=bookings, booked_at=booked_at)


def flight_updated(*, flight: Flight, before: FlightPlan) -> None:
    listener().flight_updated(flight=flight, before=before)


def flight_status_changed(*, flight: Flight) -> None:
    listener().flight_status_changed(flight=flight)


def seat_released(*, booking: Booking, reason: str, lost_at: datetime | None = None) -> None:
    listener().seat_released(booking=booking, reason=reason, lost_at=lost_at)


def seats_offered(*, offers: Sequence[SeatOffer]) -> None:
    """Offers just made, all of one flight."""
    listener().seats_offered(offers=offers)


def seat_offers_ended(*, offers: Sequence[SeatOffer]) -> None:
    """Offers of one flight just ended without a booking."""
    listener().seat_offers_ended(offers=offers)


def transfer_seat_released(*, seat: TransferSeat, reason: str) -> None:
    listener().transfer_seat_released(seat=seat, reason=reason)


def journey_booked(*, bookings: Sequence[Booking]) -> None:
    """Legs now lead to these flight seats (flights.journeys): their messages name them."""
    listener().journey_booked(bookings=bookings)


def transfer_updated(*, transfer: GroundTransfer, before: TransferPlan) -> None:
    listener().transfer_updated(transfer=transfer, before=before)

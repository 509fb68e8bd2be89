"""What the flight page, the API and the dashboard show of a flight's seat offers."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum

from evac.flights.models import FLOWN_STATUSES, Booking, Flight, SeatOffer


def live_offers(flight: Flight) -> QuerySet[SeatOffer]:
    """The offers still holding seats, the soonest deadline first, with who is asked."""
    return (
        flight.seat_offers.filter(status=SeatOffer.Status.OFFERED)
        .select_related("citizen")
        .order_by("expires_at", "pk")
    )


@dataclass(frozen=True)
class OfferSummary:
    live: list[SeatOffer]
    counts: dict[str, int] = field(default_factory=dict)
    seats_held: int = 0
    # Seats nobody holds or is offered: before departure, still free; after it, flown empty.
    seats_empty: int = 0
    flown: bool = False

    def as_dict(self) -> dict[str, int]:
        return {**self.counts, "seats_held": self.seats_held, "seats_empty": self.seats_empty}


def offer_summary(flight: Flight) -> OfferSummary:
    """Live offers (who, until when), how many offers ended each way, and the empty seats:
    free now, or after departure those that flew with nobody in them (not boarded)."""
    counts = dict.fromkeys(SeatOffer.Status.values, 0)
    rows = flight.seat_offers.values("status").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts[row["status"]] = row["n"]
    live = list(live_offers(flight))
    held = sum(offer.seats for offer in live)
    flown = flight.status in FLOWN_STATUSES
    if flown:
        boarded = flight.bookings.filter(status=Booking.Status.BOARDED).count()
        empty = max(flight.seats_total - boarded, 0)
    else:
        empty = flight.seats_left
    return OfferSummary(live=live, counts=counts, seats_held=held, seats_empty=empty, flown=flown)


def offers_pending(flights: QuerySet[Flight]) -> dict[int, int]:
    """Live offers per flight, for the dashboard: one query."""
    rows = (
        SeatOffer.objects.filter(flight__in=flights, status=SeatOffer.Status.OFFERED)
        .values("flight_id")
        .annotate(n=Count("pk"), seats=Sum("seats"))
        .order_by()
    )
    return {row["flight_id"]: row["n"] for row in rows}

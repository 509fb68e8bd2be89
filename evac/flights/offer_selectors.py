"""What the flight page, the operation's offers page, the API and the dashboard show of
seat offers."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from evac.flights.models import FLIGHTS_AHEAD_STATUSES, FLOWN_STATUSES, Booking, Flight, SeatOffer
from evac.operations.models import Operation


def live_offers(flight: Flight) -> QuerySet[SeatOffer]:
    """The offers still holding seats, the soonest deadline first, with who is asked."""
    return (
        flight.seat_offers.filter(status=SeatOffer.Status.OFFERED)
        .select_related("citizen")
        .order_by("expires_at", "pk")
    )


def flight_offers(flight: Flight) -> QuerySet[SeatOffer]:
    """Every offer of the flight, live or ended, the newest first, with who is asked."""
    return (
        flight.seat_offers.select_related("citizen")
        .prefetch_related("people")
        .order_by("-offered_at", "-pk")
    )


def pending_offers(operation: Operation) -> QuerySet[SeatOffer]:
    """The operation's offers still waiting for an answer, on every flight."""
    return (
        SeatOffer.objects.filter(flight__operation=operation, status=SeatOffer.Status.OFFERED)
        .select_related("citizen", "flight")
        .prefetch_related("people")
    )


@dataclass(frozen=True)
class OfferSummary:
    live: list[SeatOffer]
    counts: dict[str, int] = field(default_factory=dict)
    seats_held: int = 0
    # Seats nobody holds or is offered: before departure, still free; after it, flown empty.
    seats_empty: int = 0
    flown: bool = False
    # Why seats flew empty: booked but not boarded (no-shows), and held by nobody when the
    # flight left (never booked, or cancelled and not filled again).
    no_shows: int = 0
    unfilled: int = 0

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
    no_shows = unfilled = 0
    if flown:
        seats = flight.bookings.aggregate(
            boarded=Count("pk", filter=Q(status=Booking.Status.BOARDED)),
            no_shows=Count("pk", filter=Q(status=Booking.Status.NO_SHOW)),
        )
        empty = max(flight.seats_total - seats["boarded"], 0)
        no_shows = min(seats["no_shows"], empty)
        unfilled = empty - no_shows
    else:
        empty = flight.seats_left
    return OfferSummary(
        live=live,
        counts=counts,
        seats_held=held,
        seats_empty=empty,
        flown=flown,
        no_shows=no_shows,
        unfilled=unfilled,
    )


@dataclass(frozen=True)
class SeatsToFill:
    """A flight leaving soon with seats on offer or free, for the dashboard."""

    flight: Flight
    offers_pending: int
    seats_held: int

    @property
    def seats_free(self) -> int:
        """Seats neither booked nor held by an offer."""
        return self.flight.seats_left


def seats_to_fill(operation: Operation, *, now: datetime, hours: int = 48) -> list[SeatsToFill]:
    """Flights still ahead that leave within `hours` and have seats on offer or free, the
    soonest first: one query."""
    live = Q(seat_offers__status=SeatOffer.Status.OFFERED)
    flights = (
        operation.flights.filter(
            status__in=FLIGHTS_AHEAD_STATUSES,
            departs_at__gt=now,
            departs_at__lte=now + timedelta(hours=hours),
        )
        .annotate(
            pending=Count("seat_offers", filter=live),
            held=Coalesce(Sum("seat_offers__seats", filter=live), 0),
        )
        .filter(Q(pending__gt=0) | Q(seats_booked__lt=F("seats_total")))
        .select_related("departure_airport__city")
        .order_by("departs_at", "number")
    )
    return [SeatsToFill(flight, flight.pending, flight.held) for flight in flights]


def offers_pending(operation: Operation) -> tuple[int, int]:
    """The operation's offers waiting for an answer, and the seats they hold: one query."""
    totals = SeatOffer.objects.filter(
        flight__operation=operation, status=SeatOffer.Status.OFFERED
    ).aggregate(n=Count("pk"), seats=Coalesce(Sum("seats"), 0))
    return totals["n"], totals["seats"]


@dataclass(frozen=True)
class FlightOfferCounts:
    """One flight's line on the operation's offers page."""

    flight: Flight
    counts: dict[str, int]
    seats_held: int
    # As OfferSummary.seats_empty: free now, or after departure those that flew empty.
    seats_empty: int
    flown: bool


def offers_by_flight(operation: Operation) -> list[FlightOfferCounts]:
    """Each flight that made offers, or takes them and is still ahead: its offers by how
    they ended, the seats held now and the seats empty, the soonest departure first. One
    query, whatever the number of flights and offers."""
    made = SeatOffer.objects.filter(flight=OuterRef("pk"))
    boarded = (
        Booking.objects.filter(flight=OuterRef("pk"), status=Booking.Status.BOARDED)
        .values("flight")
        .annotate(n=Count("pk"))
        .values("n")
    )
    live = Q(seat_offers__status=SeatOffer.Status.OFFERED)
    flights = (
        operation.flights.filter(
            Exists(made) | (Q(status__in=FLIGHTS_AHEAD_STATUSES) & ~Q(offers=Flight.Offers.OFF))
        )
        .annotate(
            held=Coalesce(Sum("seat_offers__seats", filter=live), 0),
            boarded=Coalesce(Subquery(boarded), 0),
            **{
                f"n_{status}": Count("seat_offers", filter=Q(seat_offers__status=status))
                for status in SeatOffer.Status.values
            },
        )
        .select_related("departure_airport__city")
        .order_by("departs_at", "number", "pk")
    )
    lines = []
    for flight in flights:
        flown = flight.status in FLOWN_STATUSES
        empty = max(flight.seats_total - flight.boarded, 0) if flown else flight.seats_left
        counts = {status: getattr(flight, f"n_{status}") for status in SeatOffer.Status.values}
        lines.append(FlightOfferCounts(flight, counts, flight.held, empty, flown))
    return lines


def live_offers_of(operation: Operation) -> QuerySet[SeatOffer]:
    """The operation's offers still holding seats, the soonest deadline first, with the
    person asked and the flight's airport for its local time.

    Of the person, only their name and the reference code their record is linked by: the
    row is a list's, and a personal field never read is better never loaded (LIVE_OFFER_FIELDS).
    """
    return (
        SeatOffer.objects.filter(flight__operation=operation, status=SeatOffer.Status.OFFERED)
        .select_related("citizen", "flight__departure_airport__city")
        .only(*LIVE_OFFER_FIELDS)
        .order_by("expires_at", "pk")
    )


# What the operation's offers page shows of a live offer (templates/flights/offers.html).
LIVE_OFFER_FIELDS = (
    "seats",
    "expires_at",
    "citizen__reference_code",
    "citizen__surname",
    "citizen__given_names",
    "flight__number",
    # Airport.zone: the airport's own time zone, else its city's.
    "flight__departure_airport__time_zone",
    "flight__departure_airport__city__time_zone",
)

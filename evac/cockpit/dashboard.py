"""The reads behind an operation's dashboard, each one query whatever the number of people.

Everything is measured from the `now` the caller passes (the view passes evac.core.clock.now),
the same clock the citizen list filters with, so a number on the dashboard and the list behind
its link always agree. There is deliberately no separate "as of" date: an operation whose
records stop long before today (the January 2022 demo) is shown as it is, with its open
flights marked "departure time passed" and a note saying when anyone was last heard from.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q

from evac.core.timefmt import time_to_departure
from evac.flights.minors_kept import MinorWarnings, minor_warnings
from evac.flights.models import FLIGHTS_AHEAD_STATUSES, FLOWN_STATUSES, Booking, Flight
from evac.flights.offer_selectors import SeatsToFill, offers_pending, seats_to_fill
from evac.flights.selectors import ExpiringDocuments, expiring_documents
from evac.operations.models import Operation
from evac.operations.services import operation_airports
from evac.people.models import Citizen
from evac.people.selectors import PeopleCounts, heard_from_before, people_counts
from evac.people.time_counts import heard_from_before_counted, last_heard, registered_by_day
from evac.places.models import Airport
from evac.places.selectors import cities_needing_transfer

# People we still owe something: a seat, a flight, or a sign of life.
ACTIVE_STATUSES = (
    Citizen.Status.WAITING,
    Citizen.Status.BOOKED,
    Citizen.Status.UNREACHABLE,
)


def not_contacted_days_default() -> int:
    return settings.EVAC_NOT_CONTACTED_DAYS


# People in numbers ---------------------------------------------------------------------


# Flights ahead -------------------------------------------------------------------------


@dataclass(frozen=True)
class FlightAhead:
    flight: Flight
    departs_local: datetime
    departure_passed: bool
    time_to_departure: str

    @property
    def time_zone_name(self) -> str:
        return str(self.flight.departure_airport.zone)

    @property
    def utc_offset(self) -> str:
        offset = self.departs_local.strftime("%z")  # "+0600"
        return f"UTC{offset[:3]}:{offset[3:5]}"

    @property
    def seats_percent(self) -> int:
        total = self.flight.seats_total
        return round(100 * self.flight.seats_booked / total) if total else 0


def flights_ahead(operation: Operation, *, now: datetime, limit: int = 10) -> list[FlightAhead]:
    """Planned, open and boarding flights, soonest first, however far past their time."""
    flights = (
        operation.flights.filter(status__in=FLIGHTS_AHEAD_STATUSES)
        .select_related("departure_airport__city", "arrival_airport__city")
        .order_by("departs_at", "number")[:limit]
    )
    return [_flight_ahead(flight, now) for flight in flights]


def _flight_ahead(flight: Flight, now: datetime) -> FlightAhead:
    passed = flight.departs_at <= now
    when = time_to_departure(flight.departs_at, now)
    return FlightAhead(flight, flight.departs_local, passed, when)


# Seats to fill: offers pending, seats free on flights leaving soon -----------------------

# How far ahead the dashboard looks for seats still to fill.
SEATS_TO_FILL_HOURS = 48


@dataclass(frozen=True)
class SeatOffersAhead:
    pending: int  # offers waiting for an answer, on every flight
    seats_held: int
    flights: list[SeatsToFill]  # leaving within SEATS_TO_FILL_HOURS with seats on offer or free
    hours: int = SEATS_TO_FILL_HOURS


def seat_offers_ahead(operation: Operation, *, now: datetime) -> SeatOffersAhead:
    pending, held = offers_pending(operation)
    flights = seats_to_fill(operation, now=now, hours=SEATS_TO_FILL_HOURS)
    return SeatOffersAhead(pending, held, flights)


# People we have not heard from ---------------------------------------------------------


@dataclass(frozen=True)
class NotContacted:
    days: int
    cutoff: datetime
    count: int
    longest_silent: list[Citizen]  # each with .last_heard
    # The last time anyone in the operation was heard from or registered; when that is
    # before the cutoff, every active person counts, and the page says why.
    last_heard_in_operation: datetime | None

    @property
    def list_query(self) -> str:
        """The citizen list's GET parameters for exactly the people counted here."""
        statuses = "&".join(f"status={status}" for status in ACTIVE_STATUSES)
        return f"{statuses}&not_contacted_days={self.days}"

    @property
    def operation_is_silent(self) -> bool:
        last = self.last_heard_in_operation
        return last is not None and last < self.cutoff


def not_contacted(
    operation: Operation, *, days: int, now: datetime, limit: int = 10
) -> NotContacted:
    """Active people last heard from (or registered, if never heard from) over `days` ago.

    The rule is the citizen list's `not_contacted_days` filter (heard_from_before), so this
    count and the list behind its link agree.
    """
    cutoff = now - timedelta(days=days)
    people = operation.citizens.annotate(last_heard=last_heard())
    silent = Q(status__in=ACTIVE_STATUSES) & heard_from_before(cutoff)
    # Counted from the kept counts; the latest and the longest silent are ends of the
    # index citizen_op_silent_since (operation, last heard), so none of it reads everyone.
    count = heard_from_before_counted(operation.pk, statuses=ACTIVE_STATUSES, cutoff=cutoff)
    latest = people.order_by("-last_heard").values_list("last_heard", flat=True).first()
    longest = list(
        people.filter(silent).select_related("current_city").order_by("last_heard", "pk")[:limit]
    )
    return NotContacted(days, cutoff, count, longest, latest)


# Evacuations over time -----------------------------------------------------------------


def evacuated_by_day(operation: Operation) -> dict[date, int]:
    """People who boarded a flight that left, by the departure airport's local date."""
    rows = (
        operation.flights.filter(status__in=FLOWN_STATUSES)
        .values("departs_at", "departure_airport__time_zone", "departure_airport__city__time_zone")
        .annotate(boarded=Count("bookings", filter=Q(bookings__status=Booking.Status.BOARDED)))
        .order_by()
    )
    by_day: Counter = Counter()
    for row in rows:
        if not row["boarded"]:
            continue  # a flight that left with nobody of ours is not a day on the chart
        # Airport.zone, read from the row: the airport's own zone, else its city's.
        zone = row["departure_airport__time_zone"] or row["departure_airport__city__time_zone"]
        by_day[row["departs_at"].astimezone(zone).date()] += row["boarded"]
    return dict(by_day)


@dataclass(frozen=True)
class Timeline:
    days: list[date]
    registered: list[int]  # registrations on each day
    evacuated_total: list[int]  # everyone evacuated up to and including each day

    @property
    def rows(self) -> list[tuple[date, int, int]]:
        return list(zip(self.days, self.registered, self.evacuated_total, strict=True))


def timeline(registered: dict[date, int], evacuated: dict[date, int]) -> Timeline:
    """Every day from the first registration or evacuation to the last, with no gaps."""
    known = set(registered) | set(evacuated)
    if not known:
        return Timeline([], [], [])
    days = list(_days_between(min(known), max(known)))
    return Timeline(
        days,
        [registered.get(day, 0) for day in days],
        list(_running_total(evacuated.get(day, 0) for day in days)),
    )


def _days_between(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _running_total(values: Iterable[int]) -> Iterable[int]:
    total = 0
    for value in values:
        total += value
        yield total


# The whole page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    people: PeopleCounts
    flights_ahead: list[FlightAhead]
    seat_offers: SeatOffersAhead
    not_contacted: NotContacted
    timeline: Timeline
    expiring_documents: ExpiringDocuments
    minors: MinorWarnings
    suspended_airports: list[Airport]
    # Cities whose airports are all suspended: the people waiting there need a transfer.
    transfer_city_ids: frozenset[int]


def operation_dashboard(operation: Operation, *, days: int, now: datetime) -> Dashboard:
    people = people_counts(operation)
    return Dashboard(
        people=people,
        suspended_airports=list(
            operation_airports(operation).filter(status=Airport.Status.SUSPENDED)
        ),
        transfer_city_ids=frozenset(cities_needing_transfer().values_list("pk", flat=True)),
        flights_ahead=flights_ahead(operation, now=now),
        seat_offers=seat_offers_ahead(operation, now=now),
        not_contacted=not_contacted(operation, days=days, now=now),
        expiring_documents=expiring_documents(operation),
        minors=minor_warnings(operation),
        timeline=timeline(
            registered_by_day(operation.pk, zone=people.main_time_zone),
            evacuated_by_day(operation),
        ),
    )

"""Reads of flights and manifests, scoped to the reader."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from evac.core.clock import now, today
from evac.flights.models import (
    FLIGHTS_AHEAD_STATUSES,
    FLOWN_STATUSES,
    Booking,
    Flight,
    ManifestExport,
)
from evac.operations.models import Operation
from evac.people.documents import expiry_margin
from evac.people.models import Citizen
from evac.people.privacy import document_tail
from evac.people.selectors import waiting_counted
from evac.places.models import City


def manifest(flight: Flight) -> QuerySet[Booking]:
    """A flight's passengers, cancelled seats last, in the carrier's alphabetical order."""
    return (
        flight.bookings.select_related("citizen")
        .annotate(is_cancelled=Q(status=Booking.Status.CANCELLED))
        .order_by("is_cancelled", "citizen__surname", "citizen__given_names", "pk")
    )


def booking_counts(flight: Flight) -> dict[str, int]:
    counts = dict.fromkeys(Booking.Status.values, 0)
    for row in flight.bookings.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts


# Pages of the staff app ---------------------------------------------------------------


def operation_flights(operation: Operation) -> QuerySet[Flight]:
    """An operation's flights with what every flight page shows about the route."""
    return operation.flights.select_related("departure_airport__city", "arrival_airport__city")


def flights_upcoming_and_past(operation: Operation) -> tuple[QuerySet[Flight], QuerySet[Flight]]:
    """Upcoming: still to be flown; past: flown, or cancelled and due already; latest first.

    A departed flight is past whatever its scheduled time said. A flight whose departure
    time has passed but that is still open or boarding is late, not past: it stays with the
    upcoming ones until someone marks it departed or cancelled. Past flights carry `flown`,
    how many people were on board when it left.
    """
    upcoming = ~Q(status__in=FLOWN_STATUSES) & (
        ~Q(status=Flight.Status.CANCELLED) | Q(departs_at__gte=now())
    )
    flights = operation_flights(operation)
    past = flights.exclude(upcoming).annotate(
        flown=Count("bookings", filter=Q(bookings__status=Booking.Status.BOARDED))
    )
    return (
        flights.filter(upcoming).order_by("departs_at", "number", "pk"),
        past.order_by("-departs_at", "number", "pk"),
    )


def manifest_passengers(flight: Flight) -> QuerySet[Booking]:
    """Everyone holding or having held a seat, with what a carrier and the gate need.

    Not the phone: the manifest doesn't show it, and reading one parses the number (about
    a tenth of a 400-seat manifest's time)."""
    return (
        manifest(flight)
        .select_related("citizen__household", "citizen__current_city", "created_by")
        .defer("citizen__phone")
    )


def manifest_on_board(flight: Flight) -> QuerySet[Booking]:
    """The manifest a carrier or border control gets: every seat that is not cancelled."""
    return manifest(flight).exclude(status=Booking.Status.CANCELLED)


def paxlst_lists_boarded_only(flight: Flight) -> bool:
    """After departure a passenger list says who flew; before it, who holds a seat."""
    return flight.status in (Flight.Status.DEPARTED, Flight.Status.LANDED)


def paxlst_passengers(flight: Flight) -> QuerySet[Booking]:
    """The PAXLST message's passengers: boarded ones once the flight has left, else every
    seat not cancelled."""
    seats = manifest_on_board(flight)
    if paxlst_lists_boarded_only(flight):
        return seats.filter(status=Booking.Status.BOARDED)
    return seats


@dataclass(frozen=True)
class GateCounts:
    """Where boarding stands: every non-cancelled seat is boarded, a no-show, or not yet."""

    boarded: int
    no_show: int
    total: int

    @property
    def not_yet(self) -> int:
        return self.total - self.boarded - self.no_show

    def as_dict(self) -> dict[str, int]:
        return {
            "boarded": self.boarded,
            "no_show": self.no_show,
            "not_yet": self.not_yet,
            "total": self.total,
        }


def gate_counts(flight: Flight) -> GateCounts:
    counts = booking_counts(flight)
    return GateCounts(
        boarded=counts[Booking.Status.BOARDED],
        no_show=counts[Booking.Status.NO_SHOW],
        total=sum(n for status, n in counts.items() if status != Booking.Status.CANCELLED),
    )


def gate_statuses(flight: Flight) -> dict[int, str]:
    """Each seat's status, so a second tablet at the gate can catch up with the first."""
    seats = flight.bookings.exclude(status=Booking.Status.CANCELLED)
    return dict(seats.values_list("pk", "status"))


def gate_search_text(booking: Booking, *, whole_document: bool = True) -> str:
    """What the gate search looks in: names in both scripts, document and reference.

    The boarding page lists documents masked, so the text it carries for the instant search
    (`whole_document=False`) holds only the document's visible last characters; a whole
    number typed at the gate is looked up on the server, which reads the whole text.
    """
    person = booking.citizen
    document = person.document_number if whole_document else document_tail(person.document_number)
    return " ".join(
        [
            person.surname,
            person.given_names,
            person.surname_native,
            person.given_names_native,
            document,
            person.reference_code,
        ]
    ).casefold()


def recent_exports(flight: Flight, limit: int = 5) -> list[ManifestExport]:
    return list(flight.exports.select_related("by")[:limit])


# The waiting list ---------------------------------------------------------------------
#
# Who gets the next seats: the most vulnerable first, then whoever has waited longest.
# A household stays one unit, as urgent as its most vulnerable waiting member and waiting
# since its earliest registration. Each unit's standing is stored on its first member
# (people.queue keeps it), so a page reads the units it shows in index order, whatever the
# number of people waiting.

# How many units the fill reads at a time as it walks down the list.
FILL_READS_UNITS = 100


# What a stand-in row holds: the unit's priority and size, and its first member's
# registration, pk and household (None for a person alone).
STAND_IN = ("unit_priority", "registered_at", "pk", "household_id", "unit_size")


def _stand_ins(
    operation: Operation, *, city: City | None = None, where: Q | None = None, split: bool = False
) -> QuerySet:
    """One row for each waiting unit: its first member's, with the unit's stored standing.

    The first member is the earliest registered (then the smallest pk), so the row's
    registered_at is since when the unit has waited and its pk breaks the last ties; the
    rows are read from the `citizen_queue` index. With `city`, only units with someone
    there: people alone who live there, and households with a waiting member there. To count
    them (`split`) the two are read apart and joined with UNION ALL, each from its own index,
    where a ranked read walks the list in order and stops after its page.
    """
    rows = operation.citizens.filter(status=Citizen.Status.WAITING, queue_first=True).annotate(
        unit_priority=F("queue_priority"), unit_size=F("queue_size")
    )
    if where is not None:
        rows = rows.filter(where)
    if city is None:
        return rows.order_by().values_list(*STAND_IN)
    households_there = operation.citizens.filter(
        status=Citizen.Status.WAITING, current_city_id=city.pk, household__isnull=False
    ).values("household_id")
    alone = Q(household__isnull=True, current_city_id=city.pk)
    together = Q(household_id__in=households_there)
    if not split:
        return rows.filter(alone | together).order_by().values_list(*STAND_IN)
    return (
        rows.filter(alone)
        .order_by()
        .values_list(*STAND_IN)
        .union(rows.filter(together).order_by().values_list(*STAND_IN), all=True)
    )


# The order of the list, on the stand-in rows; _ranked_before and _ranked_after follow it.
RANKING = ("-unit_priority", "registered_at", "pk")


class Rank(NamedTuple):
    """Where a unit stands in RANKING: its priority, since when it waits, its first member."""

    priority: int
    since: datetime
    first_pk: int


def _ranked_before(rank: Rank) -> Q:
    return (
        Q(unit_priority__gt=rank.priority)
        | Q(unit_priority=rank.priority, registered_at__lt=rank.since)
        | Q(unit_priority=rank.priority, registered_at=rank.since, pk__lt=rank.first_pk)
    )


def _ranked_after(rank: Rank) -> Q:
    return (
        Q(unit_priority__lt=rank.priority)
        | Q(unit_priority=rank.priority, registered_at__gt=rank.since)
        | Q(unit_priority=rank.priority, registered_at=rank.since, pk__gt=rank.first_pk)
    )


@dataclass(frozen=True)
class WaitingUnit:
    """People who take seats together: one person, or a household's waiting members.

    A household is as urgent as its most vulnerable member and has waited since its
    earliest registration. `seated_elsewhere` names members who already hold a seat on
    another flight: household_book refuses such a household until that seat is cancelled.
    """

    members: tuple[Citizen, ...]
    rank: Rank
    household_id: int | None = None
    seated_elsewhere: tuple[Citizen, ...] = ()

    @property
    def priority(self) -> int:
        return self.rank.priority

    @property
    def waiting_since(self) -> datetime:
        return self.rank.since

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def is_household(self) -> bool:
        return self.household_id is not None

    @property
    def key(self) -> str:
        """How a form names this unit: household:<pk> or citizen:<pk>."""
        if self.household_id is not None:
            return f"household:{self.household_id}"
        return f"citizen:{self.members[0].pk}"

    @property
    def can_be_booked(self) -> bool:
        return not self.seated_elsewhere


def waiting_units(
    operation: Operation, *, limit: int, city: City | None = None, after: int | None = None
) -> list[WaitingUnit]:
    """The first `limit` units of the waiting list, built whole; with `after` (the pk of a
    unit's first member, as a page's "Next" names it), the units ranked after that one.

    `city` keeps the units with someone in that city; by default everyone is listed,
    because people in one city can reach another city's airport (Almaty to Nur-Sultan by
    rail). Two queries (three with `after`), whatever the number of people or the page.
    """
    rank = None
    if after is not None:
        found = operation.citizens.filter(pk=after).values_list(
            "queue_priority", "registered_at", "pk"
        )
        rank = Rank(*found[0]) if found else None
    return _units(operation, _read_ranks(operation, limit=limit, city=city, after=rank))


def waiting_units_in_turn(
    operation: Operation, *, city: City | None = None, reads: int = FILL_READS_UNITS
) -> Iterator[WaitingUnit]:
    """The whole waiting list in order, read `reads` units at a time as the caller goes on.

    Each read starts after the last unit read, not at an offset, so the people the caller
    books meanwhile (who leave the list) don't make it skip anyone.
    """
    after = None
    while True:
        ranks = _read_ranks(operation, limit=reads, city=city, after=after)
        yield from _units(operation, ranks)
        if len(ranks) < reads:
            return
        after, _household = ranks[-1]


@dataclass(frozen=True)
class WaitingTotals:
    units: int
    people: int


def waiting_totals(operation: Operation, *, city: City | None = None) -> WaitingTotals:
    """How many units and people are on the waiting list (with someone in `city`). One query.

    The whole list's are the operation's maintained counts; a city's are counted, since a
    household with members in two cities is a unit in each.
    """
    if city is None:
        units, people = waiting_counted(operation)
        return WaitingTotals(units=units, people=people)
    return _totals(_stand_ins(operation, city=city, split=True))


def waiting_ahead(citizen: Citizen) -> WaitingTotals | None:
    """The units, and the people in them, ranked before this person's unit; None if they
    are not waiting. Two queries: where the person's unit stands, and a count before it."""
    if citizen.status != Citizen.Status.WAITING:
        return None
    if citizen.household_id is None:
        unit = Q(pk=citizen.pk)
    else:
        unit = Q(household_id=citizen.household_id)
    found = _stand_ins(citizen.operation, where=unit)[:1]
    if not found:  # no longer waiting
        return None
    priority, since, first_pk, _household, _size = found[0]
    return waiting_ahead_of(citizen.operation, Rank(priority, since, first_pk))


def waiting_ahead_of(operation: Operation, rank: Rank) -> WaitingTotals:
    """The units, and the people in them, ranked before `rank`. One query."""
    return _totals(_stand_ins(operation, where=_ranked_before(rank)))


def waiting_ahead_up_to(operation: Operation, rank: Rank, bound: int) -> WaitingTotals | None:
    """waiting_ahead_of's count if at most `bound` units are ahead, else None. One query, bounded
    whatever the list's length: the `citizen_queue` index from its start, `bound` + 1 at most."""
    first = _stand_ins(operation, where=_ranked_before(rank)).order_by(*RANKING)[: bound + 1]
    return None if (totals := _totals(first)).units > bound else totals


# The names unit_rank_annotations() gives a citizen's waiting unit's rank.
UNIT_RANK = ("queue_unit_priority", "queue_unit_since", "queue_unit_first")


def unit_rank_annotations() -> dict[str, Subquery]:
    """Where each citizen's waiting unit stands, to annotate a query of citizens with, so
    that a page that reads the person already learns their rank in the same query and needs
    only waiting_ahead_of's count: three scalar subqueries on the unit's stand-in (the
    person's own row when alone, the household's first member's otherwise); all three None
    when the unit is not on the waiting list."""
    stand_in = Citizen.objects.filter(
        Q(household_id=OuterRef("household_id")) | Q(pk=OuterRef("pk")),
        operation_id=OuterRef("operation_id"),
        status=Citizen.Status.WAITING,
        queue_first=True,
    ).order_by()[:1]
    fields = ("queue_priority", "registered_at", "pk")
    return {
        name: Subquery(stand_in.values(field))
        for name, field in zip(UNIT_RANK, fields, strict=True)
    }


def annotated_unit_rank(citizen: Citizen) -> Rank | None:
    """The rank unit_rank_annotations() read for this citizen, None if not waiting."""
    priority, since, first_pk = (getattr(citizen, name) for name in UNIT_RANK)
    if citizen.status != Citizen.Status.WAITING or first_pk is None:
        return None
    return Rank(priority, since, first_pk)


def _totals(stand_ins: QuerySet) -> WaitingTotals:
    # COUNT(*): a union's rows have only the columns it selects, so nothing else to count.
    totals = stand_ins.aggregate(units=Count("*"), people=Sum("unit_size", default=0))
    return WaitingTotals(units=totals["units"], people=totals["people"])


_UnitRow = tuple[Rank, int | None]  # a unit's rank and household id (None for one person)


def _read_ranks(
    operation: Operation, *, limit: int, city: City | None, after: Rank | None
) -> list[_UnitRow]:
    where = None if after is None else _ranked_after(after)
    rows = _stand_ins(operation, city=city, where=where).order_by(*RANKING)[:limit]
    return [(Rank(priority, since, pk), household) for priority, since, pk, household, _ in rows]


def _units(operation: Operation, ranks: list[_UnitRow]) -> list[WaitingUnit]:
    """The units behind these ranks, with their people and cities: one query.

    A household's booked members come in the same query, to name the seats held elsewhere.
    A unit whose people all left the list since its rank was read is dropped.
    """
    if not ranks:
        return []
    households = [household for _rank, household in ranks if household is not None]
    singles = [rank.first_pk for rank, household in ranks if household is None]
    people = (
        operation.citizens.filter(
            Q(pk__in=singles, status=Citizen.Status.WAITING)
            | Q(
                household_id__in=households,
                status__in=[Citizen.Status.WAITING, Citizen.Status.BOOKED],
            )
        )
        .select_related("current_city")
        .order_by("registered_at", "pk")
    )
    alone: dict[int, list[Citizen]] = {}  # a person without a household, by pk
    together: dict[int, list[Citizen]] = defaultdict(list)
    seated: dict[int, list[Citizen]] = defaultdict(list)
    for person in people:
        if person.status == Citizen.Status.BOOKED:
            seated[person.household_id].append(person)
        elif person.household_id is None:
            alone[person.pk] = [person]
        else:
            together[person.household_id].append(person)
    units = []
    for rank, household in ranks:
        members = alone.get(rank.first_pk) if household is None else together.get(household)
        if not members:
            continue
        units.append(
            WaitingUnit(
                members=tuple(members),
                rank=rank,
                household_id=household,
                seated_elsewhere=tuple(sorted(seated.get(household, ()), key=lambda c: c.pk)),
            )
        )
    return units


# Documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiringDocuments:
    """People still to travel whose document expires before they would arrive."""

    booked: int  # judged on their flight's day of arrival (local)
    waiting: int  # judged on today: they have no flight yet

    @property
    def total(self) -> int:
        return self.booked + self.waiting


def expiring_documents(operation: Operation) -> ExpiringDocuments:
    """Three queries whatever the size of the operation: the flights still ahead with their
    arrival days, the active seats on them whose holder's document expires too soon, and
    the people waiting whose document expires too soon (people.documents' rule, with its
    margin). Both counts start from what they count (seats ahead; an index range of
    expiry dates), never from every person of the operation."""
    margin = expiry_margin()
    ahead = operation.flights.filter(status__in=FLIGHTS_AHEAD_STATUSES).select_related(
        "arrival_airport__city"
    )
    # Each flight's own limit, checked here: one condition per flight in the SQL took a
    # second to plan and run with thousands of flights ahead.
    limits = {flight.pk: flight.arrives_local.date() + margin for flight in ahead}
    seats = Booking.objects.filter(
        is_active=True,
        flight_id__in=list(limits),
        citizen__document_expires_on__lt=max(limits.values(), default=today()),
    ).values_list("flight_id", "citizen__document_expires_on")
    # A person holds one active seat at most (a constraint), so seats count people.
    booked = sum(1 for flight, expires in seats if expires < limits[flight]) if limits else 0
    waiting = operation.citizens.filter(
        status=Citizen.Status.WAITING, document_expires_on__lt=today() + margin
    ).count()
    return ExpiringDocuments(booked=booked, waiting=waiting)

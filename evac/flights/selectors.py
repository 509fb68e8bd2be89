"""Reads of flights and manifests, scoped to the reader."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from evac.core.clock import now, today
from evac.flights.models import Booking, Flight, ManifestExport
from evac.operations.access import Actor, operations_visible_to
from evac.operations.models import Operation
from evac.people.models import Citizen
from evac.people.privacy import document_tail
from evac.places.models import City


def flights_visible_to(user: Actor) -> QuerySet[Flight]:
    return Flight.objects.filter(operation__in=operations_visible_to(user)).select_related(
        "departure_airport__city", "arrival_airport__city"
    )


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

# A flight is finished when its passengers' fate is settled: it left, or it never will.
FINISHED_STATUSES = (Flight.Status.DEPARTED, Flight.Status.LANDED, Flight.Status.CANCELLED)


def operation_flights(operation: Operation) -> QuerySet[Flight]:
    """An operation's flights with what every flight page shows about the route."""
    return operation.flights.select_related("departure_airport__city", "arrival_airport__city")


def flights_upcoming_and_past(operation: Operation) -> tuple[QuerySet[Flight], QuerySet[Flight]]:
    """Upcoming: still to be flown, or scheduled for later; past: the rest, latest first.

    A flight whose departure time has passed but that is still open or boarding is late,
    not past: it stays with the upcoming ones until someone marks it departed or cancelled.
    """
    upcoming = ~Q(status__in=FINISHED_STATUSES) | Q(departs_at__gte=now())
    flights = operation_flights(operation)
    return (
        flights.filter(upcoming).order_by("departs_at", "number", "pk"),
        flights.exclude(upcoming).order_by("-departs_at", "number", "pk"),
    )


def manifest_passengers(flight: Flight) -> QuerySet[Booking]:
    """Everyone holding or having held a seat, with what a carrier and the gate need."""
    return manifest(flight).select_related(
        "citizen__household", "citizen__current_city", "created_by"
    )


def manifest_on_board(flight: Flight) -> QuerySet[Booking]:
    """The manifest a carrier or border control gets: every seat that is not cancelled."""
    return manifest(flight).exclude(status=Booking.Status.CANCELLED)


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

# How urgently a person needs a seat. Medical need, reduced mobility and pregnancy come
# before age; the vulnerable as a whole (Citizen.objects.vulnerable()) before everyone else.
PRIORITY_URGENT = 2
PRIORITY_VULNERABLE = 1
PRIORITY_OTHER = 0


def priority_of(citizen: Citizen, day: date) -> int:
    """Citizen.is_vulnerable, split in two tiers; computed from loaded fields, no query."""
    if citizen.medical_need or citizen.reduced_mobility or citizen.pregnant:
        return PRIORITY_URGENT
    age = citizen.age_on(day)
    if age < settings.EVAC_MINOR_UNDER_AGE or age >= settings.EVAC_ELDERLY_FROM_AGE:
        return PRIORITY_VULNERABLE
    return PRIORITY_OTHER


@dataclass(frozen=True)
class WaitingUnit:
    """People who take seats together: one person, or a household's waiting members.

    A household is as urgent as its most vulnerable member and has waited since its
    earliest registration. `seated_elsewhere` names members who already hold a seat on
    another flight: household_book refuses such a household until that seat is cancelled.
    """

    members: tuple[Citizen, ...]
    priority: int
    waiting_since: datetime
    household_id: int | None = None
    seated_elsewhere: tuple[Citizen, ...] = ()

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

    def lives_in(self, city_id: int) -> bool:
        return any(member.current_city_id == city_id for member in self.members)


def waiting_list(operation: Operation, *, city: City | None = None) -> list[WaitingUnit]:
    """Who gets the next seats: the most vulnerable first, then whoever has waited longest.

    Households stay one unit. `city` keeps the units with someone in that city; by default
    everyone is listed, because people in one city can reach another city's airport (Almaty
    to Nur-Sultan by rail). Two queries, whatever the number of people.
    """
    day = today()
    waiting = list(
        operation.citizens.filter(status=Citizen.Status.WAITING)
        .select_related("current_city")
        .order_by("registered_at", "pk")
    )
    by_household: dict[int, list[Citizen]] = defaultdict(list)
    singles: list[Citizen] = []
    for citizen in waiting:
        if citizen.household_id is None:
            singles.append(citizen)
        else:
            by_household[citizen.household_id].append(citizen)
    seated: dict[int, list[Citizen]] = defaultdict(list)
    if by_household:
        for citizen in operation.citizens.filter(
            status=Citizen.Status.BOOKED, household_id__in=list(by_household)
        ).order_by("pk"):
            seated[citizen.household_id].append(citizen)

    units = [
        WaitingUnit(
            members=(citizen,),
            priority=priority_of(citizen, day),
            waiting_since=citizen.registered_at,
        )
        for citizen in singles
    ]
    units += [
        WaitingUnit(
            members=tuple(members),
            priority=max(priority_of(member, day) for member in members),
            waiting_since=min(member.registered_at for member in members),
            household_id=household_id,
            seated_elsewhere=tuple(seated.get(household_id, ())),
        )
        for household_id, members in by_household.items()
    ]
    if city is not None:
        units = [unit for unit in units if unit.lives_in(city.pk)]
    units.sort(key=lambda unit: (-unit.priority, unit.waiting_since, unit.members[0].pk))
    return units

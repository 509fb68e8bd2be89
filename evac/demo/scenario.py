"""The January 2022 Kazakhstan scenario ("The case we build for" in DESIGN), loaded for demos.

The story is played through the same services the staff use — register, book, board,
depart — so every seat count, status and manifest obeys the real rules. Only timestamps are
touched directly: the services stamp today's clock, and the story happened in January 2022.

Running it again changes nothing but the demo logins' password: places, the operation and
the staff are looked up by natural keys, and the people and flights are loaded only while
the operation has nobody registered.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet

from evac.demo.people import ALMATY, NUR_SULTAN, Fate, Party, plan_parties
from evac.flights.models import GATE_STATUSES, Booking, Flight, GroundTransfer
from evac.flights.services import (
    booking_create,
    booking_set_status,
    flight_create,
    flight_set_status,
    household_book,
)
from evac.operations.models import Membership, Operation, Role
from evac.people.models import Citizen, ContactLogEntry, Household
from evac.people.selectors import people_counts, waiting_in
from evac.people.services import (
    citizen_register,
    citizen_set_status,
    contact_log_add,
    household_register,
)
from evac.places.models import Airport, City

OPERATION_SLUG = "kazakhstan-2022"
SEED = 2022
KYIV = "kyiv"
CITIES = {
    # English, Ukrainian and Russian names (Russian only where the spelling differs).
    ALMATY: ("Almaty", "Алмати", "Алматы", "KZ", "Asia/Almaty"),
    NUR_SULTAN: ("Nur-Sultan", "Нур-Султан", "", "KZ", "Asia/Almaty"),
    KYIV: ("Kyiv", "Київ", "Киев", "UA", "Europe/Kyiv"),
}
AIRPORTS = {
    "ALA": ("Almaty International Airport", ALMATY, Airport.Status.SUSPENDED),
    "NQZ": ("Nursultan Nazarbayev International Airport", NUR_SULTAN, Airport.Status.OPEN),
    "KBP": ("Boryspil International Airport", KYIV, Airport.Status.OPEN),
}
ALA_NOTE = "Closed to civil aircraft since 5 January; used by CSTO military transport."
STAFF = (
    ("coordinator", Role.COORDINATOR),
    ("officer", Role.OFFICER),
    ("viewer", Role.VIEWER),
)


@dataclass(frozen=True)
class FlightPlan:
    number: str
    day: date
    seats: int
    booked_at: datetime  # when the coordinators filled the seats
    notes: str = ""


CARRIER = "Ukraine International Airlines"
DEPARTS_LOCAL = time(10, 40)
FLIGHT_TIME = timedelta(hours=5, minutes=30)
BOARDING_STARTS = timedelta(minutes=50)  # before departure
FLIGHT_9_JANUARY = FlightPlan(
    "PS 9002",
    date(2022, 1, 9),
    seats=40,
    booked_at=datetime(2022, 1, 8, 12, 0, tzinfo=UTC),
    notes="Regular flight; 33 Ukrainian citizens on board.",
)
FLIGHT_13_JANUARY = FlightPlan(
    "PS 9004",
    date(2022, 1, 13),
    seats=60,
    booked_at=datetime(2022, 1, 10, 14, 0, tzinfo=UTC),
    notes="Cancelled Almaty tickets rebooked onto this flight free of charge.",
)
FLIGHT_16_JANUARY = FlightPlan(
    "PS 9006",
    date(2022, 1, 16),
    seats=60,
    booked_at=datetime(2022, 1, 11, 10, 0, tzinfo=UTC),
)
RAIL_TICKETS_BOUGHT = datetime(2022, 1, 11, 5, 0, tzinfo=UTC)
SEAT_GIVEN_BACK = datetime(2022, 1, 11, 7, 30, tzinfo=UTC)


@dataclass
class Registered:
    """A party after registration: who they became in the database."""

    fate: Fate
    people: list[Citizen]
    household: Household | None
    registered_at: datetime

    @property
    def head(self) -> Citizen:
        return self.people[0]


@dataclass(frozen=True)
class DemoResult:
    operation: Operation
    story_loaded: bool  # False when it was already there and was left alone
    status_counts: dict[str, int]
    waiting_in_almaty: int
    open_flights: list[Flight]
    logins: list[Membership]
    password: str
    lookup_example: Citizen | None

    @property
    def registered(self) -> int:
        return sum(self.status_counts.values())

    def summary(self) -> str:
        counts = self.status_counts
        state = "loaded" if self.story_loaded else "already loaded; demo logins reset"
        lines = [
            f"{self.operation} ({self.operation.slug}): {state}.",
            f"  {self.registered} registered, {self.waiting_in_almaty} waiting in Almaty, "
            f"{counts[Citizen.Status.EVACUATED]} evacuated, "
            f"{counts[Citizen.Status.DECIDED_TO_STAY]} decided to stay.",
        ]
        for flight in self.open_flights:
            departs = flight.departs_local.strftime("%d %b %Y %H:%M")
            lines.append(
                f"  {flight} on {departs}: {flight.seats_booked} of {flight.seats_total} "
                "seats booked"
            )
        if self.lookup_example:
            person = self.lookup_example
            lines.append(f"  Public status check: {person}, reference {person.reference}")
        lines.append(f"Logins (password: {self.password}):")
        lines += [f"  {m.user.username:<12} {m.get_role_display()}" for m in self.logins]
        return "\n".join(lines)


@transaction.atomic
def load_demo(password: str) -> DemoResult:
    if not password:
        raise ValueError("the demo logins need a password")
    airports = _load_places()
    operation = _load_operation()
    logins = _load_staff(operation, password)
    story_loaded = not operation.citizens.exists()
    if story_loaded:
        _load_story(operation, airports)
    return _result(operation, airports, logins, password, story_loaded)


# Places, the operation and its staff ------------------------------------------------


def _load_places() -> dict[str, Airport]:
    cities = {}
    for key, (name, native, russian, country, zone) in CITIES.items():
        cities[key], _ = City.objects.update_or_create(
            name=name,
            country=country,
            defaults={"name_native": native, "name_ru": russian, "time_zone": ZoneInfo(zone)},
        )
    airports = {}
    for code, (name, city, status) in AIRPORTS.items():
        note = ALA_NOTE if status == Airport.Status.SUSPENDED else ""
        airports[code], _ = Airport.objects.update_or_create(
            iata_code=code,
            defaults={"name": name, "city": cities[city], "status": status, "status_note": note},
        )
    return airports


def _load_operation() -> Operation:
    operation, _ = Operation.objects.update_or_create(
        slug=OPERATION_SLUG,
        defaults={
            "name": "Kazakhstan, January 2022",
            "country": "KZ",
            "starts_on": date(2022, 1, 5),
            "ends_on": None,
            "status": Operation.Status.ACTIVE,
            "hotline_phone": "+7 7172 55 00 22",
            "hotline_email": "consul.kz@mfa.gov.ua",
            "embassy_contact_name": "EMBASSY OF UKRAINE NUR-SULTAN",
            "embassy_contact_phone": "+7 7172 55 00 22",
        },
    )
    return operation


def _load_staff(operation: Operation, password: str) -> list[Membership]:
    user_model = get_user_model()
    logins = []
    for username, role in STAFF:
        user = user_model.objects.filter(username=username).first() or user_model(username=username)
        user.first_name, user.last_name = "Demo", username.capitalize()
        user.email = f"{username}@example.org"
        user.is_active = True
        # Django's admin sees every operation, so it is for superusers only; demo staff work
        # through the operation-scoped pages, like real staff.
        user.is_staff = False
        user.is_superuser = False
        user.set_password(password)
        user.save()
        membership, _ = Membership.objects.update_or_create(
            user=user, operation=operation, defaults={"role": role}
        )
        logins.append(membership)
    return logins


# The story --------------------------------------------------------------------------


def _load_story(operation: Operation, airports: dict[str, Airport]) -> None:
    cities = {ALMATY: airports["ALA"].city, NUR_SULTAN: airports["NQZ"].city}
    parties: dict[Fate, list[Registered]] = defaultdict(list)
    for party in plan_parties(SEED, cities):
        registered = _register(operation, party)
        parties[registered.fate].append(registered)
    route = (airports["NQZ"], airports["KBP"])

    _fly_9_january(operation, route, parties)
    _record_decisions(parties)
    _fill_13_january(operation, route, parties, from_city=cities[ALMATY])
    flight = _open_flight(operation, FLIGHT_16_JANUARY, route)
    _book_all(parties[Fate.BOOKED_16_JANUARY], flight, FLIGHT_16_JANUARY.booked_at)


def _register(operation: Operation, party: Party) -> Registered:
    if party.is_household:
        household = household_register(
            operation=operation, source=party.source, by=None, members=party.members
        )
        people = list(household.members.order_by("pk"))
        _backdate(Household.objects.filter(pk=household.pk), party.registered_at, "created_at")
    else:
        household = None
        (fields,) = party.members
        people = [citizen_register(operation=operation, source=party.source, by=None, **fields)]
    # registered_at is not a field the services let a caller set, and they stamp today.
    _backdate(
        Citizen.objects.filter(pk__in=[p.pk for p in people]),
        party.registered_at,
        "registered_at",
    )
    for person in people:
        person.registered_at = party.registered_at
    return Registered(party.fate, people, household, party.registered_at)


def _fly_9_january(
    operation: Operation, route: tuple[Airport, Airport], parties: dict[Fate, list[Registered]]
) -> None:
    """33 board; one passenger never reaches the airport and is back on the waiting list."""
    plan = FLIGHT_9_JANUARY
    flight = _open_flight(operation, plan, route)
    flyers = _book_all(parties[Fate.FLEW_9_JANUARY], flight, plan.booked_at)
    missed = _book_all(parties[Fate.MISSED_9_JANUARY], flight, plan.booked_at)
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=None)
    for booking in flyers:
        booking_set_status(booking=booking, status=Booking.Status.BOARDED, by=None)
    for booking in missed:
        booking_set_status(booking=booking, status=Booking.Status.NO_SHOW, by=None)
    _backdate(
        flight.bookings.filter(status__in=GATE_STATUSES),
        flight.departs_at - BOARDING_STARTS,
        "status_changed_at",
    )
    flight = flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=None)
    flight_set_status(flight=flight, status=Flight.Status.LANDED, by=None)
    (no_show,) = parties[Fate.MISSED_9_JANUARY]
    _log(
        no_show,
        "phone",
        "inbound",
        "reached",
        flight.departs_at + timedelta(hours=2),
        "Missed PS 9002: the taxi was turned back at a checkpoint. Asks for the next flight.",
    )


def _record_decisions(parties: dict[Fate, list[Registered]]) -> None:
    """People who stay, who made their own way out, or whom nobody can reach."""
    for party in parties[Fate.STAYS]:
        _log(
            party,
            "phone",
            "inbound",
            "reached",
            datetime(2022, 1, 10, 8, 15, tzinfo=UTC),
            "Will stay in Almaty with family until civil flights resume. Keep sending updates.",
        )
        _set_status(party, Citizen.Status.DECIDED_TO_STAY)
    for party in parties[Fate.LEFT_BY_OWN_MEANS]:
        _log(
            party,
            "messenger",
            "inbound",
            "reached",
            datetime(2022, 1, 9, 11, 0, tzinfo=UTC),
            "Drove to Bishkek with friends; flying home from there.",
        )
        _set_status(party, Citizen.Status.LEFT_BY_OWN_MEANS)
    for party in parties[Fate.UNREACHABLE]:
        for day, channel, outcome in (
            (8, "phone", "no_answer"),
            (9, "sms", "left_message"),
            (10, "phone", "no_answer"),
        ):
            _log(party, channel, "outbound", outcome, datetime(2022, 1, day, 7, 0, tzinfo=UTC))
        _set_status(party, Citizen.Status.UNREACHABLE)
    medical = next(
        (p for p in parties[Fate.WAITING] if p.household is None and p.head.medical_need), None
    )
    if medical is None:
        return
    _log(
        medical,
        "phone",
        "outbound",
        "reached",
        medical.registered_at + timedelta(hours=3),
        "Checked the medicines on hand; referred to a pharmacy near the temporary address.",
    )


def _fill_13_january(
    operation: Operation,
    route: tuple[Airport, Airport],
    parties: dict[Fate, list[Registered]],
    *,
    from_city: City,
) -> None:
    """Almaty people come by the group train; one person gives a seat back and stays."""
    plan = FLIGHT_13_JANUARY
    flight = _open_flight(operation, plan, route)
    travelling_by_rail = parties[Fate.RAIL_TO_13_JANUARY]
    rail_seats = _book_all(travelling_by_rail, flight, plan.booked_at)
    for booking in rail_seats:
        # Confirmed once the embassy had bought the group's rail tickets.
        booking_set_status(booking=booking, status=Booking.Status.CONFIRMED, by=None)
    _backdate(
        Booking.objects.filter(pk__in=[b.pk for b in rail_seats]),
        RAIL_TICKETS_BOUGHT,
        "status_changed_at",
    )
    _rail_transfer(operation, travelling_by_rail, from_city=from_city, to_city=route[0].city)
    for fate in (Fate.BOOKED_13_JANUARY, Fate.MISSED_9_JANUARY, Fate.STAYS_AFTER_BOOKING):
        _book_all(parties[fate], flight, plan.booked_at)

    for party in parties[Fate.STAYS_AFTER_BOOKING]:
        _log(
            party,
            "email",
            "inbound",
            "reached",
            SEAT_GIVEN_BACK,
            "Gives back the seat on PS 9004: staying with relatives in Nur-Sultan for now.",
        )
        _set_status(party, Citizen.Status.DECIDED_TO_STAY)
        _backdate(
            Booking.objects.filter(citizen__in=party.people, status=Booking.Status.CANCELLED),
            SEAT_GIVEN_BACK,
            "status_changed_at",
        )


def _rail_transfer(
    operation: Operation, parties: list[Registered], *, from_city: City, to_city: City
) -> None:
    passengers = [person for party in parties for person in party.people]
    departs = datetime.combine(date(2022, 1, 11), time(21, 20), tzinfo=from_city.time_zone)
    # No service writes transfers yet; a transfer carries no seat rule beyond its checks.
    transfer = GroundTransfer(
        operation=operation,
        mode=GroundTransfer.Mode.RAIL,
        from_city=from_city,
        to_city=to_city,
        departs_at=departs,
        arrives_at=departs + timedelta(hours=12, minutes=45),
        seats_total=12,
        description=(
            "Group rail tickets bought by the embassy: Almaty-2 station, carriage 7. "
            "Passengers continue on PS 9004 from Nur-Sultan on 13 January."
        ),
    )
    transfer.full_clean()
    transfer.save()
    transfer.passengers.set(passengers)
    for party in parties:
        _log(
            party,
            "sms",
            "outbound",
            "reached",
            RAIL_TICKETS_BOUGHT,
            "Rail tickets: Almaty-2, 11 January 21:20, carriage 7; then PS 9004 on 13 January.",
        )


# Small steps ------------------------------------------------------------------------


def _open_flight(operation: Operation, plan: FlightPlan, route: tuple[Airport, Airport]) -> Flight:
    departure, arrival = route
    departs = datetime.combine(plan.day, DEPARTS_LOCAL, tzinfo=departure.city.time_zone)
    flight = flight_create(
        operation=operation,
        by=None,
        number=plan.number,
        carrier=CARRIER,
        kind=Flight.Kind.SCHEDULED,
        departure_airport=departure,
        arrival_airport=arrival,
        departs_at=departs,
        arrives_at=departs + FLIGHT_TIME,
        seats_total=plan.seats,
        notes=plan.notes,
    )
    return flight_set_status(flight=flight, status=Flight.Status.OPEN, by=None)


def _book_all(parties: list[Registered], flight: Flight, at: datetime) -> list[Booking]:
    """Seat each party together: a household through household_book, so nobody is split."""
    bookings: list[Booking] = []
    for party in parties:
        if party.household is not None:
            bookings += household_book(flight=flight, household=party.household, by=None)
        else:
            bookings.append(booking_create(flight=flight, citizen=party.head, by=None))
    _backdate(
        Booking.objects.filter(pk__in=[b.pk for b in bookings]),
        at,
        "created_at",
        "status_changed_at",
    )
    return bookings


def _set_status(party: Registered, status: str) -> None:
    for person in party.people:
        citizen_set_status(citizen=person, status=status, by=None)


def _log(
    party: Registered,
    channel: str,
    direction: str,
    outcome: str,
    at: datetime,
    note: str = "",
) -> ContactLogEntry:
    return contact_log_add(
        citizen=party.head,
        channel=channel,
        direction=direction,
        outcome=outcome,
        note=note,
        at=at,
        by=None,
    )


def _backdate(rows: QuerySet, moment: datetime, *fields: str) -> None:
    """Put the story's date on rows the services stamped with today's clock."""
    rows.update(**dict.fromkeys(fields, moment))


# What was loaded ----------------------------------------------------------------------


def _result(
    operation: Operation,
    airports: dict[str, Airport],
    logins: list[Membership],
    password: str,
    story_loaded: bool,
) -> DemoResult:
    open_flights = list(
        operation.flights.filter(status=Flight.Status.OPEN)
        .select_related("departure_airport__city", "arrival_airport")
        .order_by("departs_at")
    )
    example = None
    if open_flights:
        seat = (
            open_flights[0]
            .bookings.filter(is_active=True)
            .select_related("citizen")
            .order_by("citizen__surname", "citizen__given_names")
            .first()
        )
        example = seat.citizen if seat else None
    return DemoResult(
        operation=operation,
        story_loaded=story_loaded,
        status_counts=people_counts(operation).by_status,
        waiting_in_almaty=waiting_in(operation=operation, city=airports["ALA"].city).count(),
        open_flights=open_flights,
        logins=logins,
        password=password,
        lookup_example=example,
    )

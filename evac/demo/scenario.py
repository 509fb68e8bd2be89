"""The January 2022 Kazakhstan scenario ("The case we build for" in DESIGN), loaded for demos.

The story is played through the same services the staff use — register, book, board,
depart — as Evac itself (by=EVAC), each step stamped with its own moment of the story
through the services' `at` / `registered_at`, so every seat count, status, manifest and
change history obeys the real rules. By default the week is replayed in the present
(evac/demo/timeline.py); `historical=True` keeps the dates of 2022.

Running it again keeps the loaded story and resets only the demo logins; `reanchor=True`
(or asking for the other kind of dates) removes it and replays it from now.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.demo.logins import demo_staff_load
from evac.demo.models import Replay
from evac.demo.people import ALMATY, NUR_SULTAN, Fate, Party, plan_parties
from evac.demo.result import DemoResult, demo_result
from evac.demo.timeline import Timeline, replay_timeline
from evac.demo.trains import TrainPlan, book_journeys, plan_train, take_train
from evac.flights.models import (
    Booking,
    Flight,
    GroundTransfer,
    ManifestExport,
    SeatOffer,
    TransferSeat,
)
from evac.flights.services import (
    booking_create,
    booking_set_status,
    flight_create,
    flight_set_status,
    household_book,
)
from evac.notifications.models import Notification
from evac.operations.models import Operation
from evac.people.counts import recount_all
from evac.people.models import Citizen, ContactLogEntry, Household
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
    # English, Ukrainian and Russian names (Russian only where the spelling differs), then
    # where it is and how many live there (GeoNames, as the places data has them).
    ALMATY: ("Almaty", "Алмати", "Алматы", "KZ", "Asia/Almaty", (43.25249, 76.9115), 1977011),
    NUR_SULTAN: ("Nur-Sultan", "Нур-Султан", "", "KZ", "Asia/Almaty", (51.1801, 71.44598), 1544142),
    KYIV: ("Kyiv", "Київ", "Киев", "UA", "Europe/Kyiv", (50.45466, 30.5238), 2952301),
}
AIRPORTS = {
    # Name, city, status in January 2022, where it is and its zone (as airportsdata has them).
    "ALA": (
        "Almaty International Airport",
        ALMATY,
        Airport.Status.SUSPENDED,
        (43.3521, 77.0405),
        "Asia/Almaty",
    ),
    "NQZ": (
        "Nursultan Nazarbayev International Airport",
        NUR_SULTAN,
        Airport.Status.OPEN,
        (51.0222, 71.4669),
        "Asia/Almaty",
    ),
    "KBP": (
        "Boryspil International Airport",
        KYIV,
        Airport.Status.OPEN,
        (50.345, 30.8947),
        "Europe/Kyiv",
    ),
}
ALA_NOTE = "Closed to civil aircraft since {jan5}; used by CSTO military transport."


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
    booked_at=datetime(2022, 1, 8, 7, 0, tzinfo=UTC),
    notes="Regular flight; 33 Ukrainian citizens on board.",
)
PLANNED_BEFORE_BOOKING = timedelta(hours=6)
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


TRAINS = {
    # The 9 January flight's passengers left Almaty the evening before.
    FLIGHT_9_JANUARY.number: TrainPlan(
        date(2022, 1, 8), seats=36, carriage=4, departs_local=time(17, 40)
    ),
    FLIGHT_13_JANUARY.number: TrainPlan(date(2022, 1, 11), seats=12, carriage=7),
    FLIGHT_16_JANUARY.number: TrainPlan(date(2022, 1, 14), seats=40, carriage=5),
}


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


@transaction.atomic
def load_demo(password: str, *, historical: bool = False, reanchor: bool = False) -> DemoResult:
    """Load the story, or keep the one loaded unless `reanchor` or the other kind of dates
    (`historical`: those of 2022; otherwise replayed in the present) is asked for."""
    if not password:
        raise ValueError("the demo logins need a password")
    replay = Replay.objects.filter(operation__slug=OPERATION_SLUG).first()
    story_loaded = replay is None or reanchor or replay.historical != historical
    if story_loaded:
        if historical:
            timeline = Timeline()
        else:
            first = datetime.combine(FLIGHT_13_JANUARY.day, DEPARTS_LOCAL, tzinfo=ALMATY_TIME)
            timeline = replay_timeline(next_departure=first, now=now())
    else:
        timeline = Timeline(replay.shift)
    airports = _load_places(timeline)
    operation = _load_operation(timeline)
    logins = demo_staff_load(operation, password)
    if story_loaded:
        _forget_story(operation)
        _load_story(operation, airports, timeline)
        # Forgetting a story deletes its people in bulk, which the maintained counts of the
        # dashboard don't follow exactly (a replay from now left 14 of 116 waiting in
        # Almaty): count them afresh, as after any bulk write.
        recount_all([operation.pk])
        replay, _ = Replay.objects.update_or_create(
            operation=operation, defaults={"shift": timeline.shift, "loaded_at": now()}
        )
    return demo_result(operation, airports, logins, password, story_loaded, replay)


# Places, the operation and its staff ------------------------------------------------


ALMATY_TIME = ZoneInfo("Asia/Almaty")


def _load_places(timeline: Timeline) -> dict[str, Airport]:
    cities = {}
    for key, (name, native, russian, country, zone, (lat, lon), people) in CITIES.items():
        cities[key], _ = City.objects.update_or_create(
            name=name,
            country=country,
            defaults={
                "name_native": native,
                "name_ru": russian,
                "time_zone": ZoneInfo(zone),
                "latitude": lat,
                "longitude": lon,
                "population": people,
            },
        )
    airports = {}
    for code, (name, city, status, (lat, lon), zone) in AIRPORTS.items():
        note = ALA_NOTE.format(**timeline.january()) if status == Airport.Status.SUSPENDED else ""
        airports[code], _ = Airport.objects.update_or_create(
            iata_code=code,
            defaults={
                "name": name,
                "city": cities[city],
                "status": status,
                "status_note": note,
                "latitude": lat,
                "longitude": lon,
                "time_zone": ZoneInfo(zone),
            },
        )
    return airports


def _load_operation(timeline: Timeline) -> Operation:
    operation, _ = Operation.objects.update_or_create(
        slug=OPERATION_SLUG,
        defaults={
            "name": "Kazakhstan, January 2022",
            "country": "KZ",
            "starts_on": timeline.day(date(2022, 1, 5)),
            "ends_on": None,
            "status": Operation.Status.ACTIVE,
            "hotline_phone": "+7 7172 55 00 22",
            "hotline_email": "consul.kz@mfa.gov.ua",
            "embassy_contact_name": "EMBASSY OF UKRAINE NUR-SULTAN",
            "embassy_contact_phone": "+7 7172 55 00 22",
        },
    )
    return operation


# The story --------------------------------------------------------------------------


def _forget_story(operation: Operation) -> None:
    """Remove a loaded story (for a replay from now): its records, not the operation."""
    Notification.objects.filter(operation=operation).delete()
    ManifestExport.objects.filter(flight__operation=operation).delete()
    TransferSeat.objects.filter(transfer__operation=operation).delete()
    Booking.objects.filter(flight__operation=operation).delete()
    SeatOffer.objects.filter(flight__operation=operation).delete()
    operation.transfers.all().delete()
    operation.flights.all().delete()
    operation.households.update(head=None)
    operation.citizens.all().delete()
    operation.households.all().delete()


def _load_story(operation: Operation, airports: dict[str, Airport], t: Timeline) -> None:
    cities = {ALMATY: airports["ALA"].city, NUR_SULTAN: airports["NQZ"].city}
    parties: dict[Fate, list[Registered]] = defaultdict(list)
    for party in plan_parties(SEED, cities, t):
        registered = _register(operation, party)
        parties[registered.fate].append(registered)
    route = (airports["NQZ"], airports["KBP"])

    _fly_9_january(operation, route, parties, t)
    _record_decisions(parties, t)
    _fill_13_january(operation, route, parties, t)
    flight = _open_flight(operation, FLIGHT_16_JANUARY, route, t)
    plan_train(operation, flight, TRAINS[flight.number], t)
    _book_all(parties[Fate.BOOKED_16_JANUARY], flight, t.at(FLIGHT_16_JANUARY.booked_at))


def _register(operation: Operation, party: Party) -> Registered:
    """`party` comes from plan_parties already moved to the timeline."""
    if party.is_household:
        household = household_register(
            operation=operation,
            source=party.source,
            by=EVAC,
            members=party.members,
            registered_at=party.registered_at,
        )
        people = list(household.members.order_by("pk"))
    else:
        household = None
        (fields,) = party.members
        people = [
            citizen_register(
                operation=operation,
                source=party.source,
                by=EVAC,
                registered_at=party.registered_at,
                **fields,
            )
        ]
    return Registered(party.fate, people, household, party.registered_at)


def _fly_9_january(
    operation: Operation,
    route: tuple[Airport, Airport],
    parties: dict[Fate, list[Registered]],
    t: Timeline,
) -> None:
    """33 come from Almaty by the group train and board; one passenger in Nur-Sultan never
    reaches the airport and is back on the waiting list."""
    plan = FLIGHT_9_JANUARY
    flight = _open_flight(operation, plan, route, t)
    train = plan_train(operation, flight, TRAINS[flight.number], t)
    flyers = book_journeys(parties[Fate.FLEW_9_JANUARY], flight, train, t.at(plan.booked_at))
    missed = _book_all(parties[Fate.MISSED_9_JANUARY], flight, t.at(plan.booked_at))
    take_train(train)
    gate = flight.departs_at - BOARDING_STARTS
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=EVAC, at=gate)
    for booking in flyers:
        booking_set_status(booking=booking, status=Booking.Status.BOARDED, by=EVAC, at=gate)
    for booking in missed:
        booking_set_status(booking=booking, status=Booking.Status.NO_SHOW, by=EVAC, at=gate)
    flight = flight_set_status(
        flight=flight, status=Flight.Status.DEPARTED, by=EVAC, at=flight.departs_at
    )
    flight_set_status(flight=flight, status=Flight.Status.LANDED, by=EVAC, at=flight.arrives_at)
    (no_show,) = parties[Fate.MISSED_9_JANUARY]
    _log(
        no_show,
        "phone",
        "inbound",
        "reached",
        flight.departs_at + timedelta(hours=2),
        "Missed PS 9002: the taxi was turned back at a checkpoint. Asks for the next flight.",
    )


def _record_decisions(parties: dict[Fate, list[Registered]], t: Timeline) -> None:
    """People who stay, who made their own way out, or whom nobody can reach."""
    for party in parties[Fate.STAYS]:
        at = t.at(datetime(2022, 1, 10, 8, 15, tzinfo=UTC))
        note = "Will stay in Almaty with family until civil flights resume. Keep sending updates."
        _log(party, "phone", "inbound", "reached", at, note)
        _set_status(party, Citizen.Status.DECIDED_TO_STAY, at)
    for party in parties[Fate.LEFT_BY_OWN_MEANS]:
        at = t.at(datetime(2022, 1, 9, 11, 0, tzinfo=UTC))
        note = "Drove to Bishkek with friends; flying home from there."
        _log(party, "messenger", "inbound", "reached", at, note)
        _set_status(party, Citizen.Status.LEFT_BY_OWN_MEANS, at)
    for party in parties[Fate.UNREACHABLE]:
        for day, channel, outcome in (
            (8, "phone", "no_answer"),
            (9, "sms", "left_message"),
            (10, "phone", "no_answer"),
        ):
            at = t.at(datetime(2022, 1, day, 7, 0, tzinfo=UTC))
            _log(party, channel, "outbound", outcome, at)
        _set_status(party, Citizen.Status.UNREACHABLE, at)
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
    t: Timeline,
) -> None:
    """Almaty people come by the group train; one person gives a seat back and stays."""
    plan = FLIGHT_13_JANUARY
    flight = _open_flight(operation, plan, route, t)
    train = plan_train(operation, flight, TRAINS[flight.number], t)
    travelling_by_rail = parties[Fate.RAIL_TO_13_JANUARY]
    rail_seats = book_journeys(travelling_by_rail, flight, train, t.at(plan.booked_at))
    for booking in rail_seats:
        # Confirmed once the embassy had bought the group's rail tickets.
        booking_set_status(
            booking=booking,
            status=Booking.Status.CONFIRMED,
            by=EVAC,
            at=t.at(RAIL_TICKETS_BOUGHT),
        )
    _tell_of_rail_tickets(travelling_by_rail, train, t)
    take_train(train)
    for fate in (Fate.BOOKED_13_JANUARY, Fate.MISSED_9_JANUARY, Fate.STAYS_AFTER_BOOKING):
        _book_all(parties[fate], flight, t.at(plan.booked_at))

    for party in parties[Fate.STAYS_AFTER_BOOKING]:
        note = "Gives back the seat on PS 9004: staying with relatives in Nur-Sultan for now."
        _log(party, "email", "inbound", "reached", t.at(SEAT_GIVEN_BACK), note)
        _set_status(party, Citizen.Status.DECIDED_TO_STAY, t.at(SEAT_GIVEN_BACK))


def _tell_of_rail_tickets(parties: list[Registered], train: GroundTransfer, t: Timeline) -> None:
    days = t.january()
    departs_local = train.departs_local.strftime("%H:%M")
    note = (
        f"Rail tickets: Almaty-2, {days['jan11']} {departs_local}, carriage 7; "
        f"then PS 9004 on {days['jan13']}."
    )
    for party in parties:
        _log(party, "sms", "outbound", "reached", t.at(RAIL_TICKETS_BOUGHT), note)


# Small steps ------------------------------------------------------------------------


def _open_flight(
    operation: Operation, plan: FlightPlan, route: tuple[Airport, Airport], t: Timeline
) -> Flight:
    departure, arrival = route
    departs = t.at(datetime.combine(plan.day, DEPARTS_LOCAL, tzinfo=departure.zone))
    planned = t.at(plan.booked_at - PLANNED_BEFORE_BOOKING)
    flight = flight_create(
        operation=operation,
        by=EVAC,
        at=planned,
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
    return flight_set_status(flight=flight, status=Flight.Status.OPEN, by=EVAC, at=planned)


def _book_all(parties: list[Registered], flight: Flight, at: datetime) -> list[Booking]:
    """Seat each party together: a household through household_book, so nobody is split."""
    bookings: list[Booking] = []
    for party in parties:
        if party.household is not None:
            bookings += household_book(flight=flight, household=party.household, by=EVAC, at=at)
        else:
            bookings.append(booking_create(flight=flight, citizen=party.head, by=EVAC, at=at))
    return bookings


def _set_status(party: Registered, status: str, at: datetime) -> None:
    for person in party.people:
        citizen_set_status(citizen=person, status=status, by=EVAC, at=at)


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
        by=EVAC,
    )

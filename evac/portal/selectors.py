"""What the public pages read. Nothing here returns anyone but the person asking."""

import copy
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import get_language

from evac.core.clock import now
from evac.core.reference import normalize_reference_code
from evac.flights.journeys import connection_refusal
from evac.flights.models import Booking, Flight, GroundTransfer, SeatOffer, TransferSeat
from evac.flights.selectors import (
    annotated_unit_rank,
    unit_rank_annotations,
    waiting_ahead_up_to,
)
from evac.flights.transfer_models import TRANSFERS_AHEAD_STATUSES
from evac.notifications.texts import LocalTime, city_name, local_time
from evac.operations.models import Operation
from evac.operations.services import operation_airports
from evac.people.merge_models import standing_code
from evac.people.models import Citizen
from evac.places.models import Airport


def active_operations() -> QuerySet[Operation]:
    return Operation.objects.filter(status=Operation.Status.ACTIVE).order_by("name")


# Every public request reads its operation, which changes rarely (opened, closed, its hotline
# edited): each process keeps what it read for a few seconds instead of asking the database
# twice a page. A save in this process forgets it at once (PortalConfig.ready); another
# process sees the change within PUBLIC_OPERATION_SECONDS. Only operations found are kept,
# so made-up slugs in URLs can't grow the memory.
PUBLIC_OPERATION_SECONDS = 5.0
_public_operations: dict[str, tuple[float, Operation]] = {}


def public_operation(slug: str) -> Operation | None:
    kept = _public_operations.get(slug)
    if kept is not None and time.monotonic() - kept[0] < PUBLIC_OPERATION_SECONDS:
        # A copy: a request that caches a related object on it can't touch another's.
        return copy.copy(kept[1])
    operation = active_operations().filter(slug=slug).first()
    if operation is None:
        _public_operations.pop(slug, None)
        return None
    _public_operations[slug] = (time.monotonic(), operation)
    return copy.copy(operation)


def forget_public_operations(**_signal: object) -> None:
    _public_operations.clear()


@dataclass(frozen=True)
class PublicFlight:
    number: str
    departs: LocalTime
    from_city: str
    from_iata: str
    to_city: str
    status: str
    status_label: str
    seats_available: bool


@dataclass(frozen=True)
class SuspendedAirport:
    iata: str
    city: str
    note: str


def public_suspended_airports(operation: Operation) -> list[SuspendedAirport]:
    """The operation's airports that no flight leaves from now, with the embassy's note."""
    language = get_language() or settings.LANGUAGE_CODE
    return [
        SuspendedAirport(airport.iata_code, city_name(airport.city, language), airport.status_note)
        for airport in operation_airports(operation).filter(status=Airport.Status.SUSPENDED)
    ]


# A flight stays on the public schedule this long after it was due to leave.
SCHEDULE_KEEPS_PAST = timedelta(days=2)
# The public schedule lists at most this many flights, the soonest first, and as many trains
# and buses. The busiest public page must not grow with the operation: at a million people
# and thousands of flights planned, sending all of them to every visitor took seconds and
# queued every other page behind it. More appear as these leave.
SCHEDULE_SHOWS_AT_MOST = 100


def public_flights(operation: Operation) -> QuerySet[Flight]:
    """The flights the public schedule shows: the one rule of what the public may know of
    flights, which the trains and buses shown beside them follow too.

    A planned flight is a draft the coordinators are still arranging: it is public only
    once opened for booking, so nobody heads for a flight that may never be.
    """
    return (
        operation.flights.filter(departs_at__gte=now() - SCHEDULE_KEEPS_PAST)
        .exclude(status=Flight.Status.PLANNED)
        .select_related("departure_airport__city", "arrival_airport__city")
        .order_by("departs_at", "number")
    )


def public_schedule(operation: Operation) -> list[PublicFlight]:
    """The flights, in the departure airport's local time: numbers and places, no people."""
    language = get_language() or settings.LANGUAGE_CODE
    flights = public_flights(operation)[:SCHEDULE_SHOWS_AT_MOST]
    return [
        PublicFlight(
            number=flight.number,
            departs=local_time(flight.departs_at, flight.departure_airport, language),
            from_city=city_name(flight.departure_airport.city, language),
            from_iata=flight.departure_airport.iata_code,
            to_city=city_name(flight.arrival_airport.city, language),
            status=flight.status,
            status_label=str(flight.get_status_display()),
            seats_available=flight.takes_bookings and flight.seats_left > 0,
        )
        for flight in flights
    ]


@dataclass(frozen=True)
class PublicTransfer:
    name: str  # "Rail 12": the mode and number, as staff named it
    departs: LocalTime
    from_city: str
    arrives: LocalTime
    to_city: str
    status: str
    status_label: str
    seats_available: bool


def public_transfers(operation: Operation) -> list[PublicTransfer]:
    """The trains and buses to an open airport, in each city's local time: modes, numbers
    and places, no people, and no meeting point (that goes only to those booked on it).

    Only those still ahead (scheduled or boarding; a cancelled one takes nobody anywhere)
    that lead to a flight the public schedule shows (public_flights) and that is still to
    leave: a train to a flight still planned would announce that flight before the
    coordinators do. Kept as long after departure as flights are (SCHEDULE_KEEPS_PAST).
    """
    language = get_language() or settings.LANGUAGE_CODE
    ahead = (
        operation.transfers.filter(
            departs_at__gte=now() - SCHEDULE_KEEPS_PAST, status__in=TRANSFERS_AHEAD_STATUSES
        )
        .select_related("from_city", "to_city")
        .order_by("departs_at", "pk")
    )[:SCHEDULE_SHOWS_AT_MOST]
    flights = public_flights(operation).exclude(
        status__in=[Flight.Status.CANCELLED, Flight.Status.DEPARTED, Flight.Status.LANDED]
    )[:SCHEDULE_SHOWS_AT_MOST]
    transfers = _leading_to(list(flights), list(ahead))
    return [
        PublicTransfer(
            name=f"{transfer.get_mode_display()} {transfer.number}".strip(),
            departs=local_time(transfer.departs_at, transfer.from_city, language),
            from_city=city_name(transfer.from_city, language),
            arrives=local_time(transfer.arrives_at, transfer.to_city, language),
            to_city=city_name(transfer.to_city, language),
            status=transfer.status,
            status_label=str(transfer.get_status_display()),
            seats_available=transfer.takes_bookings and transfer.seats_left > 0,
        )
        for transfer in transfers
    ]


def _leading_to(flights: list[Flight], transfers: list[GroundTransfer]) -> list[GroundTransfer]:
    """The transfers that make a journey to one of `flights`, alone or as an earlier leg of
    others that do, as flights.journeys.connection_refusal judges a journey (the city each
    leg arrives in, with the connection margin before the next leg or the report time).

    An operation has a few dozen of each: every transfer is tried at the front of each
    journey found so far, until no more is found.
    """
    journeys: dict[int, tuple[Flight, list[GroundTransfer]]] = {}
    for transfer in transfers:
        for flight in flights:
            if connection_refusal(flight=flight, transfers=[transfer]) is None:
                journeys[transfer.pk] = (flight, [transfer])
                break
    found = True
    while found:
        found = False
        for transfer in transfers:
            if transfer.pk in journeys:
                continue
            for flight, legs in list(journeys.values()):
                if (
                    legs[0].from_city_id == transfer.to_city_id
                    and connection_refusal(flight=flight, transfers=[transfer, *legs]) is None
                ):
                    journeys[transfer.pk] = (flight, [transfer, *legs])
                    found = True
                    break
    return [transfer for transfer in transfers if transfer.pk in journeys]


def citizen_lookup(
    operation: Operation, *, code: str, date_of_birth: date | None, surname: str
) -> Citizen | None:
    """The person with this code, if the date of birth or the surname (either script) fits.

    A wrong code and a wrong date give the same None, so the page can't tell them apart.
    """
    code = normalize_reference_code(code)
    citizen = operation.citizens.filter(reference_code=code).first()
    if citizen is None:  # a code of a record since merged into another still finds them
        code = standing_code(operation.pk, code)
        citizen = operation.citizens.filter(reference_code=code).first()
    if citizen is None:
        return None
    if date_of_birth is not None and citizen.date_of_birth == date_of_birth:
        return citizen
    typed = " ".join(surname.split()).casefold()
    if typed and typed in {citizen.surname.casefold(), citizen.surname_native.casefold()}:
        return citizen
    return None


@dataclass(frozen=True)
class Seat:
    flight_number: str
    status: str
    status_label: str
    departs: LocalTime
    be_there: LocalTime
    from_city: str
    from_airport: str
    from_iata: str
    to_city: str
    flight_status: str
    flight_status_label: str


def _active_bookings(citizen: Citizen | OuterRef) -> QuerySet[Booking]:
    # At most one: a person holds one active booking (one_active_booking_per_person).
    return Booking.objects.filter(citizen=citizen, is_active=True)


def active_booking(citizen: Citizen) -> Booking | None:
    """The person's booking, with its flight and the flight's airports and cities."""
    return (
        _active_bookings(citizen)
        .select_related("flight__departure_airport__city", "flight__arrival_airport__city")
        .first()
    )


def seat_of(booking: Booking) -> Seat:
    return _seat(booking, booking.flight)


def _seat(booking: Booking, flight: Flight) -> Seat:
    language = get_language() or settings.LANGUAGE_CODE
    city = flight.departure_airport.city
    return Seat(
        flight_number=flight.number,
        status=booking.status,
        status_label=str(booking.get_status_display()),
        departs=local_time(flight.departs_at, flight.departure_airport, language),
        be_there=local_time(flight.report_at, flight.departure_airport, language),
        from_city=city_name(city, language),
        from_airport=flight.departure_airport.name,
        from_iata=flight.departure_airport.iata_code,
        to_city=city_name(flight.arrival_airport.city, language),
        flight_status=flight.status,
        flight_status_label=str(flight.get_status_display()),
    )


@dataclass(frozen=True)
class Leg:
    """A train, bus or convoy the person holds a seat on, as their status page shows it."""

    mode: str
    from_city: str
    to_city: str
    departs: LocalTime
    arrives: LocalTime
    meeting_point: str
    meeting_map_url: str


def transfer_legs(citizen: Citizen) -> list[Leg]:
    """The person's transfer seats still ahead, in the order they travel: the first legs of
    their journey before the flight."""
    language = get_language() or settings.LANGUAGE_CODE
    seats = (
        _active_transfer_seats(citizen)
        .select_related("transfer__from_city", "transfer__to_city")
        .order_by("transfer__departs_at")
    )
    return [
        Leg(
            mode=seat.transfer.mode,
            from_city=city_name(seat.transfer.from_city, language),
            to_city=city_name(seat.transfer.to_city, language),
            departs=local_time(seat.transfer.departs_at, seat.transfer.from_city, language),
            arrives=local_time(seat.transfer.arrives_at, seat.transfer.to_city, language),
            meeting_point=seat.transfer.meeting_point,
            meeting_map_url=seat.transfer.meeting_map_url,
        )
        for seat in seats
    ]


def _active_transfer_seats(citizen: Citizen | OuterRef) -> QuerySet[TransferSeat]:
    return TransferSeat.objects.filter(citizen=citizen, is_active=True)


def offers_to_answer(citizen: Citizen | OuterRef) -> QuerySet[SeatOffer]:
    """The live seat offers the person is asked to answer (for their household too)."""
    return SeatOffer.objects.filter(
        citizen=citizen, status=SeatOffer.Status.OFFERED, expires_at__gt=now()
    )


def offer_to_answer(citizen: Citizen) -> SeatOffer | None:
    """The live seat offer the person is asked to answer, with its flight's places."""
    return (
        offers_to_answer(citizen)
        .select_related("flight__departure_airport__city", "flight__arrival_airport__city")
        .first()
    )


def status_citizen(operation: Operation, pk: int) -> Citizen | None:
    """The person whose status page this is, and what else the page must read, in one query.

    A status page is the busiest page there is in a crisis, and most people on it have no
    seat, no transfer and no offer: the person comes annotated with whether each exists
    (has_booking, has_legs, has_offer), so status_reads() reads only what is there, and
    with their waiting unit's rank, so the people ahead take a single count.
    """
    return (
        operation.citizens.select_related("current_city")
        .annotate(
            has_booking=Exists(_active_bookings(OuterRef("pk"))),
            has_legs=Exists(_active_transfer_seats(OuterRef("pk"))),
            has_offer=Exists(offers_to_answer(OuterRef("pk"))),
            **unit_rank_annotations(),
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class StatusReads:
    """What a status page shows besides the person."""

    booking: Booking | None
    seat: Seat | None
    legs: list[Leg]
    ahead: int | None  # the people ahead, counted exactly up to ahead_more_than's bound
    offer: SeatOffer | None
    ahead_more_than: int | None = None  # the bound, when more units than it are ahead


def status_reads(citizen: Citizen) -> StatusReads:
    """The status page's data for a person read by status_citizen(): a query for each thing
    the person has (a seat, transfers, an offer, a place on the waiting list), none for
    what they don't."""
    booking = active_booking(citizen) if citizen.has_booking else None
    rank = annotated_unit_rank(citizen)
    # Counted only so far: an exact count would grow with the list, on the busiest page.
    bound = settings.EVAC_PORTAL_AHEAD_COUNTED_UP_TO
    ahead = None if rank is None else waiting_ahead_up_to(citizen.operation, rank, bound)
    return StatusReads(
        booking=booking,
        seat=None if booking is None else seat_of(booking),
        legs=transfer_legs(citizen) if citizen.has_legs else [],
        ahead=None if ahead is None else ahead.people,
        offer=offer_to_answer(citizen) if citizen.has_offer else None,
        ahead_more_than=bound if rank is not None and ahead is None else None,
    )


def masked_phone(citizen: Citizen) -> str:
    return "…" + citizen.phone.as_e164[-2:] if citizen.phone else ""


def masked_email(citizen: Citizen) -> str:
    if not citizen.email:
        return ""
    name, _, domain = citizen.email.partition("@")
    return f"{name[:1]}…@{domain}"


def lookup_is_fresh(at: float, moment: datetime) -> bool:
    return moment.timestamp() - at < LOOKUP_LASTS.total_seconds()


# How long a browser that looked a person up may see their status and ask for a code.
LOOKUP_LASTS = timedelta(minutes=30)

"""Journeys: a person or household booked on a chain of legs, the transfers that take them
to a flight's city (a train Almaty → Nur-Sultan) and then the flight, in one transaction.

Every leg's seat is taken through its own counter (flights.seats), the flight's first and
then the transfers' in id order, the one lock order of the seat services; households stay
whole on every leg and the minors rule holds on each (the booking services' own rules).
Cancelling the flight seat frees every leg (flights.services.release_seat). A leg lost on
its own (a cancelled train, or one that left without them) leaves the flight seat standing:
the person is told, and staff see them here as stranded between legs until they are given
another way or their seat goes.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from evac.core.clock import now
from evac.core.errors import Conflict
from evac.core.history import past_event_moment
from evac.flights import events
from evac.flights.models import Booking, Flight, GroundTransfer, SeatLoss, TransferSeat
from evac.flights.seats import take_seats, take_transfer_seats
from evac.flights.services import (
    booking_create,
    household_book,
    household_waiting_members,
    seat_people,
)
from evac.flights.transfer_models import TRANSFERS_AHEAD_STATUSES
from evac.flights.transfers import seat_on_transfer
from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation
from evac.people.models import Citizen, Household


class LegsDoNotConnect(Conflict):
    """The legs of a journey don't meet: wrong city, or too little time to change."""


def _when(moment, place) -> str:
    """On the clock of `place`: a city for a train or bus, an airport for a flight."""
    return formats.date_format(place.local_time(moment), "j M H:i")


def connection_refusal(
    *, flight: Flight, transfers: Sequence[GroundTransfer], people: Sequence[Citizen] = ()
) -> str | None:
    """Why these legs don't make one journey for `people`, or None when they do.

    In order of departure: the first leaves from where the people are, each arrives in the
    city the next leaves from, and the last in the flight's city; each with
    EVAC_CONNECTION_MARGIN_MINUTES to spare before the next departure, or before the
    flight's "be at the airport" time.
    """
    margin = timedelta(minutes=settings.EVAC_CONNECTION_MARGIN_MINUTES)
    legs = sorted(transfers, key=lambda t: t.departs_at)
    if not legs:
        return _("A journey needs at least one transfer before the flight.")
    elsewhere = [p for p in people if p.current_city_id not in (None, legs[0].from_city_id)]
    if elsewhere:
        return _("%(names)s are not in %(city)s, where %(transfer)s leaves from.") % {
            "names": ", ".join(str(p) for p in elsewhere),
            "city": legs[0].from_city,
            "transfer": legs[0],
        }
    for leg, following in pairwise(legs):
        if leg.to_city_id != following.from_city_id:
            return _("%(first)s arrives in %(city)s, but %(next)s leaves from %(other)s.") % {
                "first": leg,
                "city": leg.to_city,
                "next": following,
                "other": following.from_city,
            }
        if leg.arrives_at + margin > following.departs_at:
            return _(
                "%(first)s arrives at %(arrives)s, less than %(margin)d minutes before "
                "%(next)s leaves at %(leaves)s."
            ) % {
                "first": leg,
                "arrives": _when(leg.arrives_at, leg.to_city),
                "margin": settings.EVAC_CONNECTION_MARGIN_MINUTES,
                "next": following,
                "leaves": _when(following.departs_at, following.from_city),
            }
    last, airport = legs[-1], flight.departure_airport
    if last.to_city_id != airport.city_id:
        return _("%(transfer)s goes to %(city)s; flight %(number)s leaves from %(airport)s.") % {
            "transfer": last,
            "city": last.to_city,
            "number": flight.number,
            "airport": airport.city,
        }
    if last.arrives_at + margin > flight.report_at:
        return _(
            "%(transfer)s arrives at %(arrives)s; flight %(number)s needs people at "
            "%(iata)s by %(report)s, with %(margin)d minutes to spare."
        ) % {
            "transfer": last,
            "arrives": _when(last.arrives_at, last.to_city),
            "number": flight.number,
            "iata": airport.iata_code,
            "report": _when(flight.report_at, airport),
            "margin": settings.EVAC_CONNECTION_MARGIN_MINUTES,
        }
    return None


@dataclass(frozen=True)
class Journey:
    bookings: list[Booking]
    legs: list[TransferSeat]


def journey_book(
    *,
    flight: Flight,
    transfers: Sequence[GroundTransfer],
    citizen: Citizen | None = None,
    household: Household | None = None,
    by: Actor,
    unaccompanied_reason: str = "",
    at: datetime | None = None,
) -> Journey:
    """A seat on every leg and on the flight for one person or a whole household, all in
    one transaction or none: any leg full, closed or not connecting refuses the lot.
    `at`: when, for Evac itself recording an earlier journey (the demo's replay)."""
    if (citizen is None) == (household is None):
        raise TypeError("give a citizen or a household")
    with transaction.atomic():
        require_permission(by, flight.operation, Permission.MANAGE_BOOKINGS)
        at = past_event_moment(by, at)
        people = [citizen] if citizen is not None else household_waiting_members(household)
        if any(t.operation_id != flight.operation_id for t in transfers) or any(
            p.operation_id != flight.operation_id for p in people
        ):
            raise Conflict(_("A journey's legs and people must be of the flight's operation."))
        refusal = connection_refusal(flight=flight, transfers=transfers, people=people)
        if refusal is not None:
            raise LegsDoNotConnect(refusal)
        take_seats(flight, len(people), at=at)
        for transfer in sorted(transfers, key=lambda t: t.pk):
            take_transfer_seats(transfer, len(people), at=at)
        bookings = seat_people(
            flight=flight,
            citizens=people,
            by=by,
            at=at,
            unaccompanied_reason=unaccompanied_reason,
        )
        connects_to = {b.citizen_id: b for b in bookings}
        legs = []
        for transfer in sorted(transfers, key=lambda t: t.departs_at):
            legs += seat_on_transfer(
                transfer=transfer,
                citizens=people,
                by=by,
                connects_to=connects_to,
                unaccompanied_reason=unaccompanied_reason,
                at=at,
            )
        if at is None:
            # A journey recorded from the past (the demo's replay) was confirmed then: it
            # keeps only the reminders still ahead, as bookings_made gave its flight seats.
            events.journey_booked(bookings=bookings)
        return Journey(bookings, legs)


def connecting_transfers(flight: Flight) -> dict[int, list[GroundTransfer]]:
    """By city: the scheduled transfers from it that take people to this flight in time
    (connection_refusal finds nothing wrong), soonest first. For the add-passengers page,
    which marks each unit by the leg it would take."""
    candidates = GroundTransfer.objects.filter(
        operation_id=flight.operation_id,
        status=GroundTransfer.Status.SCHEDULED,
        to_city_id=flight.departure_airport.city_id,
        departs_at__gt=now(),
    ).select_related("from_city", "to_city")
    found: dict[int, list[GroundTransfer]] = {}
    for transfer in candidates.order_by("departs_at", "pk"):
        if connection_refusal(flight=flight, transfers=[transfer]) is None:
            found.setdefault(transfer.from_city_id, []).append(transfer)
    return found


def journey_book_from_where_they_are(
    *,
    flight: Flight,
    citizen: Citizen | None = None,
    household: Household | None = None,
    by: Actor,
) -> Journey:
    """Book a waiting unit on the flight from wherever they wait: straight onto it in the
    flight's own city, else with the first connecting transfer that has room for all of
    them; refused with why none fits."""
    people = [citizen] if citizen is not None else household_waiting_members(household)
    cities = {p.current_city_id for p in people} - {None}
    here = flight.departure_airport.city_id
    if cities <= {here}:
        if citizen is not None:
            return Journey([booking_create(flight=flight, citizen=citizen, by=by)], [])
        return Journey(household_book(flight=flight, household=household, by=by), [])
    if len(cities) > 1:
        raise LegsDoNotConnect(
            _("%(names)s wait in different cities; book them one by one.")
            % {"names": ", ".join(str(p) for p in people)}
        )
    (city_id,) = cities
    for transfer in connecting_transfers(flight).get(city_id, []):
        if transfer.seats_left >= len(people):
            return journey_book(
                flight=flight, transfers=[transfer], citizen=citizen, household=household, by=by
            )
    airport = flight.departure_airport
    raise LegsDoNotConnect(
        _(
            "No transfer from %(city)s with %(n)d seats arriving before %(by)s "
            "(%(margin)d minutes before flight %(number)s's report time)."
        )
        % {
            "city": people[0].current_city,
            "n": len(people),
            "by": _when(
                flight.report_at - timedelta(minutes=settings.EVAC_CONNECTION_MARGIN_MINUTES),
                airport,
            ),
            "margin": settings.EVAC_CONNECTION_MARGIN_MINUTES,
            "number": flight.number,
        }
    )


def journey_leg_add(*, booking: Booking, transfer: GroundTransfer, by: Actor) -> TransferSeat:
    """Another way to a flight seat already held: a stranded person's new train or bus.
    The same connection rule and the transfer's counter, as when the journey was booked."""
    with transaction.atomic():
        flight = booking.flight
        require_permission(by, flight.operation, Permission.MANAGE_BOOKINGS)
        booking = Booking.objects.select_related("citizen").get(pk=booking.pk)
        if not booking.is_active:
            raise Conflict(_("This flight seat is no longer active."))
        if transfer.operation_id != flight.operation_id:
            raise Conflict(_("A journey's legs and people must be of the flight's operation."))
        refusal = connection_refusal(flight=flight, transfers=[transfer])
        if refusal is not None:
            raise LegsDoNotConnect(refusal)
        take_transfer_seats(transfer, 1)
        (seat,) = seat_on_transfer(
            transfer=transfer,
            citizens=[booking.citizen],
            by=by,
            connects_to={booking.citizen_id: booking},
        )
        events.journey_booked(bookings=[booking])
        return seat


# Reads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stranded:
    """A person holding a flight seat whose leg to it was lost."""

    booking: Booking
    lost_leg: TransferSeat

    @property
    def missed(self) -> bool:
        """Lost as a no-show (not on board), rather than with a cancelled transfer."""
        return self.lost_leg.status == TransferSeat.Status.NO_SHOW


# A leg lost this way leaves its flight seat standing and its person stranded: the transfer
# was cancelled, or went without them (a no-show when it left, or marked by an officer
# while it boards, until they are marked boarded after all).
LEG_LOST = Q(lost_because__in=(SeatLoss.TRANSFER_CANCELLED, SeatLoss.NO_SHOW)) | Q(
    is_active=True, status=TransferSeat.Status.NO_SHOW
)


def stranded_between_legs(operation: Operation) -> list[Stranded]:
    """People whose flight seat stands but whose transfer to it was cancelled or left
    without them, and who have no other leg from the same city to it yet."""
    lost = (
        TransferSeat.objects.filter(
            LEG_LOST, transfer__operation=operation, connects_to__is_active=True
        )
        .select_related(
            "citizen",
            "transfer__from_city",
            "transfer__to_city",
            "connects_to__flight__departure_airport",
        )
        .order_by("transfer__departs_at", "citizen__surname", "pk")
    )
    active_from = set(
        TransferSeat.objects.filter(
            transfer__operation=operation, is_active=True, connects_to__isnull=False
        )
        .exclude(status=TransferSeat.Status.NO_SHOW)
        .values_list("connects_to_id", "transfer__from_city_id")
    )
    seen: set[int] = set()
    stranded = []
    for seat in lost:
        if seat.connects_to_id in seen:
            continue
        if (seat.connects_to_id, seat.transfer.from_city_id) in active_from:
            continue
        seen.add(seat.connects_to_id)
        stranded.append(Stranded(seat.connects_to, seat))
    return stranded


@dataclass(frozen=True)
class BrokenJourney:
    """A person whose legs to their flight seat no longer connect, and why."""

    booking: Booking
    legs: list[TransferSeat]
    refusal: str


def journeys_not_connecting(operation: Operation) -> list[BrokenJourney]:
    """Journeys ahead whose legs a change has pulled apart (a train that now arrives after
    the flight's report time less the margin, a flight moved to another city): the same
    rule as when they were booked (connection_refusal), soonest flight first."""
    legs = (
        TransferSeat.objects.filter(
            transfer__operation=operation,
            transfer__status__in=TRANSFERS_AHEAD_STATUSES,
            is_active=True,
            connects_to__is_active=True,
        )
        .exclude(status=TransferSeat.Status.NO_SHOW)
        .select_related(
            "citizen",
            "transfer__from_city",
            "transfer__to_city",
            "connects_to__flight__departure_airport__city",
        )
        .order_by("connects_to__flight__departs_at", "citizen__surname", "pk")
    )
    by_booking: dict[int, list[TransferSeat]] = {}
    for leg in legs:
        by_booking.setdefault(leg.connects_to_id, []).append(leg)
    broken = []
    for journey in by_booking.values():
        booking = journey[0].connects_to
        refusal = connection_refusal(
            flight=booking.flight, transfers=[leg.transfer for leg in journey]
        )
        if refusal is not None:
            broken.append(BrokenJourney(booking, journey, refusal))
    return broken

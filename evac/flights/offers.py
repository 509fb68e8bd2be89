"""Seat offers: free seats held for the next unit of the waiting list until a deadline.

The rules in one place:
- Who is next is the waiting list's own ranking (flights.selectors.waiting_units_in_turn):
  priority, then waiting time, households whole. A unit that doesn't fit in the seats
  still free, has someone seated elsewhere, already holds a live offer, or declined or let
  expire an offer of the same flight is passed over.
- A hold takes its seats on the flight's counter through flights.seats.take_seats,
  the same conditional UPDATE as a booking: a held seat is a taken seat.
- Every end of an offer (accepted, declined, expired, withdrawn) is one conditional
  UPDATE from `offered`, made in the transaction that books or frees the seats. Whoever
  wins that UPDATE acts; everyone else finds nothing to do. So seats are freed exactly
  once, however many workers, pages and clocks reach the same offer.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from evac.core.actor import EVAC, user_of
from evac.core.clock import now
from evac.core.errors import Conflict, InvalidTransition
from evac.core.history import record_by
from evac.flights import events
from evac.flights.models import Booking, Flight, SeatOffer
from evac.flights.offer_rounds import RoundChanged, offers_expire_together, offers_make_together
from evac.flights.seats import FlightFull, FlightNotOpen, hold_ended, offer_claim, take_seats
from evac.flights.selectors import WaitingUnit, waiting_units_in_turn
from evac.flights.services import lock_flight, seat_people
from evac.operations.access import Actor, Permission, require_permission
from evac.people.models import Citizen

_O = SeatOffer.Status


class OffersRefused(Conflict):
    pass


def offer_deadline(flight: Flight, *, at: datetime | None = None) -> datetime | None:
    """Until when an offer made `at` (now) holds its seats, or None when the departure is
    too close for anyone to answer and reach the airport. Settings: EVAC_OFFER_*."""
    at = at or now()
    ahead = flight.departs_at - at
    if ahead > timedelta(hours=settings.EVAC_OFFER_FAR_HOURS):
        minutes = settings.EVAC_OFFER_FAR_MINUTES
    elif ahead > timedelta(hours=settings.EVAC_OFFER_NEAR_HOURS):
        minutes = settings.EVAC_OFFER_MID_MINUTES
    elif ahead > timedelta(hours=settings.EVAC_OFFER_LAST_HOURS):
        minutes = settings.EVAC_OFFER_NEAR_MINUTES
    else:
        return None
    return at + timedelta(minutes=minutes)


def _people_not_to_ask(flight: Flight) -> set[int]:
    """People holding a live offer (on any flight), and those who declined or let expire an
    offer of this flight: they stay on the waiting list, but these seats go on to others."""
    return _people_asked(flight.operation) | _people_who_let_go([flight])[flight.pk]


def _people_asked(operation) -> set[int]:
    """People holding a live offer on a flight of the operation."""
    return set(
        SeatOffer.people.through.objects.filter(
            seatoffer__status=_O.OFFERED, seatoffer__flight__operation_id=operation.pk
        ).values_list("citizen_id", flat=True)
    )


def _people_who_let_go(flights: Sequence[Flight]) -> dict[int, set[int]]:
    """For each flight, the people who declined or let expire an offer of it."""
    let_go: dict[int, set[int]] = {flight.pk: set() for flight in flights}
    rows = SeatOffer.people.through.objects.filter(
        seatoffer__flight_id__in=list(let_go), seatoffer__status__in=[_O.DECLINED, _O.EXPIRED]
    ).values_list("seatoffer__flight_id", "citizen_id")
    for flight_id, citizen_id in rows:
        let_go[flight_id].add(citizen_id)
    return let_go


def offers_make(*, flight: Flight, by: Actor, limit: int | None = None) -> list[SeatOffer]:
    """Offer the flight's free seats to the waiting list in turn: at most `limit` units.

    The waiting list is read once, in turn, and the units that fit are offered their seats
    together, in one transaction (offer_rounds.offers_make_together). If the seats or the
    people changed under it, that transaction keeps nothing and the same units are asked
    one at a time, each in its own transaction, so a unit booked or offered meanwhile is
    passed over and the next one asked.
    """
    deadline = _deadline_of_offers(flight, by=by)
    not_to_ask = _people_not_to_ask(flight)
    in_turn = iter(waiting_units_in_turn(flight.operation))
    made: list[SeatOffer] = []
    while flight.seats_left > 0 and (limit is None or len(made) < limit):
        most = None if limit is None else limit - len(made)
        units = _next_that_fit(in_turn, seats=flight.seats_left, most=most, not_to_ask=not_to_ask)
        if not units:
            break
        try:
            made += offers_make_together(flight=flight, units=units, by=by, expires_at=deadline)
        except FlightNotOpen:
            break
        except Conflict:  # seats or people changed meanwhile: one unit at a time
            try:
                made += _offer_one_by_one(flight=flight, units=units, by=by, expires_at=deadline)
            except FlightNotOpen:
                break
        flight.refresh_from_db(fields=["seats_booked", "status"])
    return made


def _deadline_of_offers(flight: Flight, *, by: Actor) -> datetime:
    """The deadline of the offers made now on the flight, or why none are made."""
    require_permission(by, flight.operation, Permission.MANAGE_BOOKINGS)
    flight.refresh_from_db()
    if flight.offers == Flight.Offers.OFF:
        raise OffersRefused(_("Seat offers are off for this flight."))
    if not flight.takes_bookings:
        raise FlightNotOpen(
            _("Flight %(number)s is not open for booking (it is %(status)s).")
            % {"number": flight.number, "status": flight.get_status_display().lower()}
        )
    deadline = offer_deadline(flight)
    if deadline is None:
        raise OffersRefused(
            _("Flight %(number)s leaves too soon for anyone to answer an offer.")
            % {"number": flight.number}
        )
    return deadline


def offers_round(*, flights: Sequence[Flight], by: Actor) -> list[SeatOffer]:
    """Offer the free seats of several flights of one operation, reading the waiting list
    once: each unit in turn goes to the first flight (by departure) that has room for it
    and that it did not let go. The same as offers_make on each flight in turn, without
    reading the head of the list again for every flight. A flight that takes no offers now
    (OffersRefused, FlightNotOpen) is left out; a flight whose round changed under it
    (someone booked or asked meanwhile) is offered its remaining seats by offers_make."""
    deadlines: dict[Flight, datetime] = {}
    for flight in sorted(flights, key=lambda f: (f.departs_at, f.pk)):
        try:
            deadlines[flight] = _deadline_of_offers(flight, by=by)
        except Conflict:
            continue
    if not deadlines:
        return []
    (operation,) = {flight.operation for flight in deadlines}
    room = {flight: flight.seats_left for flight in deadlines}
    let_go = _people_who_let_go(list(deadlines))
    asked = _people_asked(operation)
    chosen: dict[Flight, list[WaitingUnit]] = defaultdict(list)
    for unit in waiting_units_in_turn(operation):
        if not any(room.values()):
            break
        people = {m.pk for m in unit.members}
        if not unit.can_be_booked or people & asked:
            continue
        for flight, seats in room.items():
            if unit.size <= seats and not people & let_go[flight.pk]:
                chosen[flight].append(unit)
                room[flight] -= unit.size
                break
    made: list[SeatOffer] = []
    for flight, units in chosen.items():
        try:
            offers = offers_make_together(
                flight=flight, units=units, by=by, expires_at=deadlines[flight]
            )
        except Conflict:
            offers = []
        made += offers
        if len(offers) < len(units):
            try:
                made += offers_make(flight=flight, by=by)
            except Conflict:
                continue
    return made


def _next_that_fit(
    in_turn: Iterator[WaitingUnit], *, seats: int, most: int | None, not_to_ask: set[int]
) -> list[WaitingUnit]:
    """The next units in turn that can be offered `seats` seats between them: those who
    can be booked, fit in what is left, and are not to be passed over. A unit passed over
    for its size is not asked by this round, as when the seats ran out at it."""
    units: list[WaitingUnit] = []
    for unit in in_turn:
        if (
            unit.can_be_booked
            and unit.size <= seats
            and not any(m.pk in not_to_ask for m in unit.members)
        ):
            units.append(unit)
            seats -= unit.size
        if seats <= 0 or (most is not None and len(units) >= most):
            break
    return units


def _offer_one_by_one(
    *, flight: Flight, units: list[WaitingUnit], by: Actor, expires_at: datetime
) -> list[SeatOffer]:
    made = []
    for unit in units:
        try:
            offer = _offer_unit(flight=flight, unit=unit, by=by, expires_at=expires_at)
        except FlightFull:  # someone else took seats meanwhile: a smaller unit may fit
            continue
        except FlightNotOpen:
            raise
        except Conflict:  # this unit was booked, offered or changed meanwhile
            continue
        made.append(offer)
    return made


def offer_next(*, flight: Flight, by: Actor) -> SeatOffer | None:
    """Offer free seats to the next unit of the waiting list that fits; None if nobody does."""
    made = offers_make(flight=flight, by=by, limit=1)
    return made[0] if made else None


@transaction.atomic
def _offer_unit(*, flight: Flight, unit: WaitingUnit, by: Actor, expires_at: datetime) -> SeatOffer:
    take_seats(flight, unit.size)
    people = list(
        Citizen.objects.select_for_update()
        .filter(pk__in=[m.pk for m in unit.members])
        .order_by("registered_at", "pk")
    )
    if len(people) != unit.size or any(p.status != Citizen.Status.WAITING for p in people):
        raise Conflict(_("This unit is no longer waiting."))
    offer = SeatOffer(
        flight_id=flight.pk,
        citizen=people[0],
        household_id=unit.household_id,
        seats=len(people),
        offered_by=user_of(by),
        expires_at=expires_at,
    )
    try:
        with transaction.atomic():
            record_by(offer, by).save()
    except IntegrityError:
        raise Conflict(_("This unit already holds an offer.")) from None
    offer.people.set(people)
    offer.flight = flight
    events.seats_offered(offers=[offer])
    return offer


@transaction.atomic
def offer_accept(*, offer: SeatOffer, by: Actor) -> list[Booking]:
    """Turn the hold into bookings, in one transaction: the seats held become the seats booked.

    `by`: the person on the portal (proved by their code), or staff for a person who called.
    """
    require_permission(
        by, offer.flight.operation, Permission.ANSWER_SEAT_OFFERS, citizen_id=offer.citizen_id
    )
    flight = lock_flight(offer.flight_id)
    if not offer_claim(offer, status=_O.ACCEPTED, by=by):
        raise InvalidTransition(_("This offer is no longer open; the seats went to others."))
    people = list(offer.people.order_by("pk"))
    return seat_people(flight=flight, citizens=people, by=by)


@transaction.atomic
def offer_decline(*, offer: SeatOffer, by: Actor) -> SeatOffer:
    """The person says no: the seats go back, and on to the next unit; they stay waiting."""
    require_permission(
        by, offer.flight.operation, Permission.ANSWER_SEAT_OFFERS, citizen_id=offer.citizen_id
    )
    lock_flight(offer.flight_id)
    if not offer_claim(offer, status=_O.DECLINED, by=by):
        raise InvalidTransition(_("This offer is no longer open."))
    hold_ended(offer)
    return offer


@transaction.atomic
def offer_expire(*, offer_id: int) -> SeatOffer | None:
    """Evac itself ends an offer whose deadline passed: claimed first, so a second worker
    (or a redelivered task) finds it already expired and frees nothing. None if not due."""
    offer = SeatOffer.objects.filter(pk=offer_id).first()
    if offer is None:
        return None
    lock_flight(offer.flight_id)
    if not offer_claim(offer, status=_O.EXPIRED, by=EVAC, only_due=True):
        return None
    hold_ended(offer)
    return offer


def offers_expire_due(*, limit: int = 500) -> int:
    """Expire the live offers whose deadline has passed, oldest first, at most `limit`: each
    flight's together in one transaction (offer_rounds.offers_expire_together), which claims
    them first, so a second worker (or a redelivered task) finds them expired and frees
    nothing. How many this call expired."""
    due = (
        SeatOffer.objects.filter(status=_O.OFFERED, expires_at__lte=now())
        .order_by("expires_at", "pk")
        .values_list("pk", "flight_id")[:limit]
    )
    of_flight: dict[int, list[int]] = defaultdict(list)
    for offer_id, flight_id in due:
        of_flight[flight_id].append(offer_id)
    expired = 0
    for flight_id, offer_ids in of_flight.items():
        try:
            expired += len(offers_expire_together(flight_id=flight_id, offer_ids=offer_ids))
        except RoundChanged:  # one at a time, each claimed on its own
            expired += sum(offer_expire(offer_id=pk) is not None for pk in offer_ids)
    return expired


def flights_to_offer() -> Iterable[Flight]:
    """Open flights whose free seats Evac offers by itself and that have seats free."""
    return Flight.objects.filter(
        status=Flight.Status.OPEN, offers=Flight.Offers.AUTOMATIC, seats_booked__lt=F("seats_total")
    ).select_related("operation")

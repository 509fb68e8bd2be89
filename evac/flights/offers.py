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

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from evac.core.actor import EVAC, user_of
from evac.core.clock import now
from evac.core.errors import Conflict, InvalidTransition
from evac.core.history import record_by
from evac.flights import events
from evac.flights.models import Booking, Flight, SeatOffer
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
    through = SeatOffer.people.through.objects
    live = Q(seatoffer__status=_O.OFFERED, seatoffer__flight__operation_id=flight.operation_id)
    passed = Q(seatoffer__flight_id=flight.pk, seatoffer__status__in=[_O.DECLINED, _O.EXPIRED])
    return set(through.filter(live | passed).values_list("citizen_id", flat=True))


def offers_make(*, flight: Flight, by: Actor, limit: int | None = None) -> list[SeatOffer]:
    """Offer the flight's free seats to the waiting list in turn: at most `limit` units.

    Each offer is its own transaction, so the offers already made stay made if a later
    unit was booked or offered meanwhile (it is passed over, and the next one asked).
    """
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
    seats = flight.seats_left
    offered = _people_not_to_ask(flight)
    made: list[SeatOffer] = []
    for unit in waiting_units_in_turn(flight.operation):
        if seats <= 0 or (limit is not None and len(made) >= limit):
            break
        if (
            not unit.can_be_booked
            or unit.size > seats
            or any(m.pk in offered for m in unit.members)
        ):
            continue
        try:
            offer = _offer_unit(flight=flight, unit=unit, by=by, expires_at=deadline)
        except FlightNotOpen:
            break
        except FlightFull:  # someone else took seats meanwhile
            seats = flight.seats_left
            continue
        except Conflict:  # this unit was booked, offered or changed meanwhile
            continue
        made.append(offer)
        seats -= offer.seats
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
    events.seat_offered(offer=offer)
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


def offers_due(*, limit: int = 500) -> list[int]:
    """Ids of live offers whose deadline has passed, oldest first."""
    return list(
        SeatOffer.objects.filter(status=_O.OFFERED, expires_at__lte=now())
        .order_by("expires_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def flights_to_offer() -> Iterable[int]:
    """Open flights whose free seats Evac offers by itself and that have seats free."""
    return Flight.objects.filter(
        status=Flight.Status.OPEN, offers=Flight.Offers.AUTOMATIC, seats_booked__lt=F("seats_total")
    ).values_list("pk", flat=True)

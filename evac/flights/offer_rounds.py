"""Many offers of one flight made, or ended by the clock, in one transaction.

An offer round asks the next units in line for a flight's free seats, and the clock ends
every offer of a flight whose deadline passed. Done one offer at a time, each cost a
transaction, the flight's lock, a history row or two and a message insert of its own
(BENCHMARKS.md: 500 offers took 110 s); done together, a flight's round is one take of
the counter, one lock of the people asked, and one insert each for the offers, their
people, their history and their messages.

The rules are the single offer's (flights.offers, flights.seats): the seats are taken
through the same conditional UPDATE of the counter, the people are locked and checked as
still waiting and not asked elsewhere, and each end of an offer is the conditional UPDATE
from `offered`, for the whole round at once and only counted as won if it won for every
offer (else nothing is kept and the caller goes one by one).
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction

from evac.core.actor import EVAC, user_of
from evac.core.clock import now
from evac.core.errors import Conflict
from evac.flights import events
from evac.flights.models import Flight, SeatOffer
from evac.flights.seats import VIA_EVAC, give_back_seats, holds_ended, take_seats
from evac.flights.selectors import WaitingUnit
from evac.flights.services import lock_flight
from evac.operations.access import Actor
from evac.people.models import Citizen

_O = SeatOffer.Status


class RoundChanged(Conflict):
    """Something in the round changed under it; the caller makes the offers one by one."""


@transaction.atomic
def offers_make_together(
    *, flight: Flight, units: Sequence[WaitingUnit], by: Actor, expires_at: datetime
) -> list[SeatOffer]:
    """Offer each of `units` its seats on the flight, in one transaction.

    A unit that stopped waiting, changed, or holds a live offer by now is left out (its
    seats go back on the counter at once). Raises FlightNotOpen, FlightFull (someone took
    seats meanwhile: the caller asks one unit at a time) or RoundChanged.
    """
    take_seats(flight, sum(unit.size for unit in units))
    wanted = [m.pk for unit in units for m in unit.members]
    people = {
        p.pk: p for p in Citizen.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    }
    households = [unit.household_id for unit in units if unit.household_id is not None]
    through = SeatOffer.people.through.objects
    asked = set(
        through.filter(citizen_id__in=wanted, seatoffer__status=_O.OFFERED).values_list(
            "citizen_id", flat=True
        )
    )
    asked_households = set(
        SeatOffer.objects.filter(household_id__in=households, status=_O.OFFERED).values_list(
            "household_id", flat=True
        )
    )
    kept: list[tuple[WaitingUnit, list[Citizen]]] = []
    for unit in units:
        members = [people.get(m.pk) for m in unit.members]
        if (
            any(p is None or p.status != Citizen.Status.WAITING or p.pk in asked for p in members)
            or unit.household_id in asked_households
        ):
            continue
        kept.append((unit, sorted(members, key=lambda p: (p.registered_at, p.pk))))
    left_out = sum(unit.size for unit in units) - sum(len(members) for _, members in kept)
    if left_out:
        give_back_seats(flight.pk, left_out)
    if not kept:
        return []
    offers = [
        SeatOffer(
            flight=flight,
            citizen=members[0],
            household_id=unit.household_id,
            seats=len(members),
            offered_by=user_of(by),
            expires_at=expires_at,
        )
        for unit, members in kept
    ]
    try:
        with transaction.atomic():
            SeatOffer.objects.bulk_create(offers)
    except IntegrityError:  # a live offer made for one of them meanwhile
        raise RoundChanged("a unit of the round was offered seats meanwhile") from None
    rows = through.bulk_create(
        through.model(seatoffer_id=offer.pk, citizen_id=person.pk)
        for offer, (_unit, members) in zip(offers, kept, strict=True)
        for person in members
    )
    _record(offers, by=by, rows=rows, changed=False)
    events.seats_offered(offers=offers)
    return offers


@transaction.atomic
def offers_expire_together(*, flight_id: int, offer_ids: Sequence[int]) -> list[SeatOffer]:
    """Expire these offers of one flight whose deadline passed, in one transaction: claimed
    together, their seats given back together, each person told. The offers no longer live
    or not yet due are left alone; none is expired twice."""
    lock_flight(flight_id)  # every end of an offer of this flight waits for this lock
    moment = now()
    due = SeatOffer.objects.filter(
        pk__in=offer_ids, flight_id=flight_id, status=_O.OFFERED, expires_at__lte=moment
    )
    claiming = list(due.values_list("pk", flat=True))
    claimed = SeatOffer.objects.filter(pk__in=claiming, status=_O.OFFERED).update(
        status=_O.EXPIRED, decided_at=moment, decided_by=None, decided_via=VIA_EVAC
    )
    if claimed != len(claiming):  # cannot happen behind the flight's lock; be sure anyway
        raise RoundChanged("an offer of the round ended meanwhile")
    offers = list(SeatOffer.objects.filter(pk__in=claiming).select_related("citizen"))
    if not offers:
        return []
    rows = SeatOffer.people.through.objects.filter(seatoffer_id__in=claiming)
    _record(offers, by=EVAC, rows=list(rows), changed=True)
    holds_ended(offers)
    return offers


def _record(offers: list[SeatOffer], *, by: Actor, rows, changed: bool) -> None:
    """The offers' rows in their history, with their people, as a save would write them."""
    history = SeatOffer.history.model
    recorded = SeatOffer.history.bulk_history_create(
        offers, update=changed, default_user=user_of(by), default_date=now()
    )
    of_offer = {record.id: record for record in recorded}  # each offer's one new row
    m2m = history._meta.get_field("historicalseatoffer_people").related_model
    m2m.objects.bulk_create(
        m2m(history=of_offer[row.seatoffer_id], id=row.id, seatoffer_id=row.seatoffer_id,
            citizen_id=row.citizen_id)
        for row in rows
    )  # fmt: skip

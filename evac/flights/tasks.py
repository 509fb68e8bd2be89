"""Celery tasks for seat offers. Each takes ids or nothing, and calls the offer services.

The database holds every offer, its deadline and its state; the broker only ever carries
"look at flight 42". A task lost with a flushed Redis costs a minute: the beat round
(offers_tick) expires what is due and offers every automatic flight's free seats anyway.
"""

import logging
from collections import defaultdict

from celery import shared_task

from evac.core.actor import EVAC
from evac.core.errors import Conflict
from evac.flights import offers
from evac.flights.models import Flight
from evac.flights.queue import OFFER_FREE_SEATS

logger = logging.getLogger(__name__)


@shared_task(name=OFFER_FREE_SEATS, ignore_result=True)
def offer_free_seats(flight_id: int) -> int:
    """Offer the flight's free seats, if it still offers them by itself; how many offers."""
    flight = Flight.objects.filter(
        pk=flight_id, status=Flight.Status.OPEN, offers=Flight.Offers.AUTOMATIC
    ).first()
    if flight is None:
        return 0
    try:
        return len(offers.offers_make(flight=flight, by=EVAC))
    except Conflict as refused:  # closed meanwhile, or too close to departure
        logger.info("no offers for flight %s: %s", flight_id, refused)
        return 0


@shared_task(name="evac.flights.tasks.offers_tick", ignore_result=True)
def offers_tick() -> int:
    """Expire the offers whose deadline passed, then offer every automatic flight's free
    seats. Each flight's expiries claim their offers first, in the transaction that frees
    the seats (offers.offers_expire_due), so a round run twice, or after a worker died
    half-way, frees nothing twice; and the offers are made from the seats free now, so a
    unit skipped by a dead worker is asked by the next round. The flights of an operation
    are offered together, the waiting list read once (offers.offers_round)."""
    expired = offers.offers_expire_due()
    of_operation: dict[int, list[Flight]] = defaultdict(list)
    for flight in offers.flights_to_offer():
        of_operation[flight.operation_id].append(flight)
    for flights in of_operation.values():
        offers.offers_round(flights=flights, by=EVAC)
    return expired

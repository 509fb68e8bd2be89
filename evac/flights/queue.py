"""Asking the workers to offer a flight's free seats, by the task's name.

Services call this after commit; flights.tasks calls the services. Naming the task here,
instead of importing it, keeps that a one-way street (as notifications.queue does).
"""

import logging

from evac.celery import app
from evac.core.broker import broker_failed, broker_known_down, quick_broker_options

logger = logging.getLogger(__name__)

OFFER_FREE_SEATS = "evac.flights.tasks.offer_free_seats"


def queue_offer_free_seats(flight_id: int) -> None:
    """Queue one offer round for the flight. A broker that is down must not fail the caller
    (a person freeing their seat): the beat task's round (flights.tasks.offers_tick) makes
    the offers within a minute anyway."""
    if broker_known_down():
        return
    try:
        with app.connection_for_write(transport_options=quick_broker_options()) as connection:
            connection.ensure_connection(max_retries=0)
            app.send_task(
                OFFER_FREE_SEATS, args=(flight_id,), producer=connection.Producer(), retry=False
            )
    except Exception:
        broker_failed()
        logger.exception("could not queue the offers of flight %s; the beat round will", flight_id)

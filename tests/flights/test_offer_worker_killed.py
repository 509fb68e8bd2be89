"""A real worker on Redis and PostgreSQL killed in the middle of the offer round: while it
expires an offer and while it makes the next one. No seat is lost, no seat is offered
twice, and the offers move on to the next in line once a worker runs again."""

import os
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.db.models import Sum
from psycopg import sql

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Booking, Flight, SeatOffer
from evac.flights.offers import offers_make
from evac.people.models import Citizen
from tests.core.test_celery_worker import _database_url
from tests.factories import make_citizen, make_flight
from tests.notifications.worker import redis_broker as redis_broker
from tests.notifications.worker import wait_until, worker, worker_environment

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SEATS = 5  # on each of the two flights
TICK = "evac.flights.tasks.offers_tick"


def _automatic_flight(operation, nqz, kbp) -> Flight:
    flight = make_flight(operation, nqz, kbp, seats=SEATS, departs_at=now() + timedelta(days=3))
    Flight.objects.filter(pk=flight.pk).update(offers=Flight.Offers.AUTOMATIC)
    return flight


def _deadline_passed(flight: Flight, minutes_ago: int) -> None:
    flight.seat_offers.filter(status="offered").update(
        offered_at=now() - timedelta(hours=3), expires_at=now() - timedelta(minutes=minutes_ago)
    )


@contextmanager
def _rows_locked(*rows: tuple[type, int]) -> Iterator[None]:
    """Lock rows from another session, as a slow page would: a worker that reaches one
    waits there, in the middle of its transaction, until the block ends."""
    with psycopg.connect(_database_url(connection.settings_dict)) as other:
        for model, pk in rows:
            table = sql.Identifier(model._meta.db_table)
            other.execute(sql.SQL("SELECT 1 FROM {} WHERE id = %s FOR UPDATE").format(table), [pk])
        yield
        other.rollback()


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _assert_no_seat_lost_or_held_twice(*flights: Flight) -> None:
    for flight in flights:
        flight.refresh_from_db()
        booked = Booking.objects.filter(flight=flight, is_active=True).count()
        held = flight.seat_offers.filter(status="offered").aggregate(n=Sum("seats", default=0))
        assert flight.seats_booked == booked + held["n"] <= flight.seats_total, flight
    live = SeatOffer.objects.filter(status="offered").values_list("citizen", flat=True)
    assert max(Counter(live).values(), default=0) <= 1, "someone holds two live offers"
    asked = SeatOffer.objects.values_list("citizen", "flight")
    assert max(Counter(asked).values(), default=0) <= 1, "someone asked twice for one flight"


def test_a_worker_killed_mid_round_loses_no_seat_and_the_offers_move_on(
    tmp_path, redis_broker, operation, almaty, nqz, kbp
):
    people = [make_citizen(operation, almaty) for _ in range(4 * SEATS)]
    first, second = _automatic_flight(operation, nqz, kbp), _automatic_flight(operation, nqz, kbp)
    offers_make(flight=first, by=EVAC)  # the first five in line
    offers_make(flight=second, by=EVAC)  # the next five
    first_round = set(SeatOffer.objects.values_list("pk", flat=True))
    _deadline_passed(first, minutes_ago=10)  # expired first
    _deadline_passed(second, minutes_ago=1)
    next_in_line = people[2 * SEATS]
    env = worker_environment(tmp_path, tmp_path / "sms.log")

    # One worker process expires the first flight's offers, then waits on the second
    # flight (locked); the other makes the first flight's next offer and waits on the
    # person it is for (locked), after taking the seat on the counter.
    locked = _rows_locked((Flight, second.pk), (Citizen, next_in_line.pk))
    with locked, worker(tmp_path, env, "first") as first_worker:
        redis_broker.send_task(TICK)
        wait_until(lambda: _waiting_on_locks() == 2, "both stuck mid-way", tmp_path, "first")
        os.killpg(first_worker.pid, signal.SIGKILL)
        first_worker.wait(timeout=30)
    assert SeatOffer.objects.filter(status="expired").exists(), "killed before any expiry"
    assert SeatOffer.objects.filter(pk__in=first_round, status="offered").exists()
    _assert_no_seat_lost_or_held_twice(first, second)

    with worker(tmp_path, env, "second"):
        redis_broker.send_task(TICK)
        wait_until(
            lambda: (
                SeatOffer.objects.filter(status="offered").count() == 2 * SEATS
                and not SeatOffer.objects.filter(pk__in=first_round, status="offered").exists()
            ),
            "every offer expired once and the seats offered on",
            tmp_path,
            "second",
        )

    assert set(SeatOffer.objects.filter(pk__in=first_round).values_list("status", flat=True)) == {
        "expired"
    }
    _assert_no_seat_lost_or_held_twice(first, second)
    for flight in (first, second):
        assert flight.seats_left == 0  # every seat held again, for the next in line
    # Ten people asked now, each once, none for a flight whose offer they let expire
    # (checked above), and all of them still waiting.
    asked_now = SeatOffer.objects.filter(status="offered").values_list("citizen", flat=True)
    assert len(set(asked_now)) == 2 * SEATS
    assert set(Citizen.objects.filter(pk__in=asked_now).values_list("status", flat=True)) == {
        Citizen.Status.WAITING
    }

"""Offers, accepts, declines, expiries and direct bookings racing for the last seats never
hold a seat twice: the counter always equals the active bookings plus the live holds.

Each thread has its own database connection, as separate requests and workers do; a
barrier lets them all go at once (tests/flights/test_concurrency.py does the same for
bookings alone).
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum

from evac.core.clock import now
from evac.flights.models import Booking, Flight, SeatOffer
from evac.flights.offers import offer_accept, offer_decline, offer_expire, offers_make
from evac.flights.services import booking_create
from evac.people.models import Citizen
from tests.factories import make_citizen, make_flight
from tests.flights.races import race

pytestmark = pytest.mark.django_db(transaction=True)


def _offers_race(operation, city, nqz, kbp, alice) -> None:
    flight = make_flight(operation, nqz, kbp, seats=6, departs_at=now() + timedelta(days=3))
    waiting = [make_citizen(operation, city) for _ in range(16)]
    accepted, declined, expiring = offers_make(flight=flight, by=alice, limit=3)
    SeatOffer.objects.filter(pk=expiring.pk).update(
        offered_at=now() - timedelta(hours=3), expires_at=now() - timedelta(minutes=1)
    )
    strangers = waiting[8:]  # far down the list: booked directly while offers are made

    jobs: list[Callable[[], object]] = [
        *[lambda: offer_accept(offer=accepted, by=alice) for _ in range(3)],
        *[lambda: offer_decline(offer=declined, by=alice) for _ in range(2)],
        lambda: offer_accept(offer=declined, by=alice),
        *[lambda: offer_expire(offer_id=expiring.pk) for _ in range(3)],
        lambda: offer_accept(offer=expiring, by=alice),
        *[lambda: offers_make(flight=flight, by=alice) for _ in range(4)],
        *[lambda p=p: booking_create(flight=flight, citizen=p, by=alice) for p in strangers],
    ]
    outcome = race(jobs, done="done")

    assert outcome["done"] >= 4, outcome
    flight.refresh_from_db()
    booked = Booking.objects.filter(flight=flight, is_active=True).count()
    live = SeatOffer.objects.filter(flight=flight, status="offered")
    held = live.aggregate(n=Sum("seats", default=0))["n"]
    assert flight.seats_booked == booked + held <= flight.seats_total
    assert Citizen.objects.filter(status=Citizen.Status.BOOKED).count() == booked
    # Each offer ended at most once, and the first three each in one way.
    for offer in SeatOffer.objects.all():
        ends = offer.history.exclude(status="offered").values_list("status", flat=True)
        assert len(ends) <= 1, (offer, list(ends))
    assert SeatOffer.objects.get(pk=accepted.pk).status == "accepted"
    assert SeatOffer.objects.get(pk=expiring.pk).status == "expired"
    assert SeatOffer.objects.get(pk=declined.pk).status in ("declined", "accepted")
    # Nobody holds two live offers, and no seat is both a live hold and a booking.
    people_in_live = list(
        SeatOffer.people.through.objects.filter(seatoffer__status="offered").values_list(
            "citizen_id", flat=True
        )
    )
    assert len(people_in_live) == len(set(people_in_live))
    assert Flight.objects.get(pk=flight.pk).seats_booked <= 6


@pytest.mark.postgres
def test_racing_offers_and_bookings_never_hold_a_seat_twice_on_postgresql(
    operation, almaty, nqz, kbp, alice
):
    assert connection.vendor == "postgresql"
    _offers_race(operation, almaty, nqz, kbp, alice)


def test_racing_offers_and_bookings_never_hold_a_seat_twice_on_sqlite(
    operation, almaty, nqz, kbp, alice
):
    if connection.vendor != "sqlite":
        pytest.skip("this run is on PostgreSQL; the SQLite run covers SQLite")
    _offers_race(operation, almaty, nqz, kbp, alice)

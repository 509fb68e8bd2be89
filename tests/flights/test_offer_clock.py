"""The beat round expires offers whose deadline passed and offers the seats on, and a round
that dies half-way never frees a seat twice or skips a unit."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db.models import Sum
from django_celery_beat.models import PeriodicTask

from evac.core.clock import now
from evac.flights import tasks
from evac.flights.models import Booking, Flight, SeatOffer
from evac.flights.offers import offers_make
from evac.notifications import travel
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db

schedule = importlib.import_module("evac.flights.migrations.0007_offers_beat_schedule")


def _automatic_flight(operation, nqz, kbp, seats: int) -> Flight:
    flight = make_flight(operation, nqz, kbp, seats=seats, departs_at=now() + timedelta(days=3))
    Flight.objects.filter(pk=flight.pk).update(offers=Flight.Offers.AUTOMATIC)
    flight.refresh_from_db()
    return flight


def _all_deadlines_pass() -> None:
    SeatOffer.objects.filter(status="offered").update(
        offered_at=now() - timedelta(hours=3), expires_at=now() - timedelta(minutes=1)
    )


def _assert_counter_matches(flight: Flight) -> None:
    flight.refresh_from_db()
    booked = Booking.objects.filter(flight=flight, is_active=True).count()
    held = SeatOffer.objects.filter(flight=flight, status="offered").aggregate(
        n=Sum("seats", default=0)
    )["n"]
    assert flight.seats_booked == booked + held <= flight.seats_total


def test_migrate_schedules_the_round_every_minute_once():
    PeriodicTask.objects.filter(task="evac.flights.tasks.offers_tick").delete()
    schedule.create_schedule(apps, None)
    schedule.create_schedule(apps, None)

    (task,) = PeriodicTask.objects.filter(task="evac.flights.tasks.offers_tick")
    assert (task.interval.every, task.interval.period, task.enabled) == (60, "seconds", True)


def test_the_round_expires_due_offers_and_offers_the_seats_to_the_next_in_line(
    operation, almaty, nqz, kbp
):
    flight = _automatic_flight(operation, nqz, kbp, seats=2)
    people = [make_citizen(operation, almaty) for _ in range(4)]
    tasks.offers_tick()  # the first two are asked
    assert set(SeatOffer.objects.values_list("citizen", flat=True)) == {p.pk for p in people[:2]}

    _all_deadlines_pass()
    assert tasks.offers_tick() == 2

    live = SeatOffer.objects.filter(status="offered")
    assert set(live.values_list("citizen", flat=True)) == {p.pk for p in people[2:]}
    assert SeatOffer.objects.filter(status="expired").count() == 2
    _assert_counter_matches(flight)


def test_a_flight_whose_offers_are_asked_for_is_left_to_the_coordinator(
    operation, almaty, nqz, kbp
):
    make_flight(operation, nqz, kbp, seats=2, departs_at=now() + timedelta(days=3))
    make_citizen(operation, almaty)

    tasks.offers_tick()

    assert not SeatOffer.objects.exists()


def test_a_round_that_dies_half_way_frees_each_seat_once_and_skips_nobody(
    operation, almaty, nqz, kbp, alice, monkeypatch
):
    flight = make_flight(operation, nqz, kbp, seats=6, departs_at=now() + timedelta(days=3))
    people = [make_citizen(operation, almaty) for _ in range(12)]
    first = offers_make(flight=flight, by=alice)
    Flight.objects.filter(pk=flight.pk).update(offers=Flight.Offers.AUTOMATIC)
    _all_deadlines_pass()

    # The worker dies while telling the fourth person: what it did in that offer's
    # transaction is undone, as a killed process's would be; the three before are done.
    real = travel.seat_offer_ended
    told = []

    def dies_on_the_fourth(*, offer):
        if len(told) == 3:
            raise SystemExit("worker killed")
        told.append(offer.pk)
        return real(offer=offer)

    monkeypatch.setattr("evac.notifications.travel.seat_offer_ended", dies_on_the_fourth)
    with pytest.raises(SystemExit):
        tasks.offers_tick()
    assert SeatOffer.objects.filter(status="expired").count() == 3
    _assert_counter_matches(flight)

    monkeypatch.setattr("evac.notifications.travel.seat_offer_ended", real)
    tasks.offers_tick()  # the next round, on another worker
    tasks.offers_tick()  # and one more, finding nothing left to expire

    assert SeatOffer.objects.filter(status="expired").count() == len(first) == 6
    live = SeatOffer.objects.filter(status="offered")
    assert set(live.values_list("citizen", flat=True)) == {p.pk for p in people[6:]}
    _assert_counter_matches(flight)
    for offer in SeatOffer.objects.filter(status="expired"):
        assert offer.history.filter(status="expired").count() == 1

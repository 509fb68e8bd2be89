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
from evac.notifications import travel as notification_listener
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
    flights = [
        make_flight(operation, nqz, kbp, seats=3, departs_at=now() + timedelta(days=3 + i))
        for i in range(2)
    ]
    people = [make_citizen(operation, almaty) for _ in range(12)]
    first = [offer for flight in flights for offer in offers_make(flight=flight, by=alice)]
    Flight.objects.filter(pk__in=[f.pk for f in flights]).update(offers=Flight.Offers.AUTOMATIC)
    _all_deadlines_pass()

    # The worker dies while telling the second flight's people: what it did in that
    # flight's transaction is undone, as a killed process's would be; the first flight's
    # expiries, made and committed before, stand.
    real = notification_listener.seat_offers_ended
    told = []

    def dies_on_the_second_flight(*, offers):
        if told:
            raise SystemExit("worker killed")
        told.append(offers[0].flight_id)
        return real(offers=offers)

    monkeypatch.setattr(notification_listener, "seat_offers_ended", dies_on_the_second_flight)
    with pytest.raises(SystemExit):
        tasks.offers_tick()
    assert told == [flights[0].pk]
    assert set(SeatOffer.objects.filter(status="expired").values_list("flight", flat=True)) == {
        flights[0].pk
    }
    assert SeatOffer.objects.filter(status="expired").count() == 3
    for flight in flights:
        _assert_counter_matches(flight)

    monkeypatch.setattr(notification_listener, "seat_offers_ended", real)
    tasks.offers_tick()  # the next round, on another worker
    tasks.offers_tick()  # and one more, finding nothing left to expire

    assert SeatOffer.objects.filter(status="expired").count() == len(first) == 6
    # Everyone whose offer expired is asked again only for the other flight, never for the
    # one they let go; every seat is held again.
    live = set(SeatOffer.objects.filter(status="offered").values_list("citizen", "flight"))
    let_go = set(SeatOffer.objects.filter(status="expired").values_list("citizen", "flight"))
    assert len(live) == 6 and not live & let_go
    assert {citizen for citizen, _ in live} <= {p.pk for p in people}
    for flight in flights:
        _assert_counter_matches(flight)
    for offer in SeatOffer.objects.filter(status="expired"):
        assert offer.history.filter(status="expired").count() == 1
        assert list(offer.history.get(status="expired").people.values_list("citizen", flat=True))

"""A round offers several flights' free seats reading the waiting list once, and makes a
flight's offers together in one transaction, with the single offer's rules."""

from datetime import timedelta

import pytest
from django.db.models import Sum

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Booking, Flight, SeatOffer
from evac.flights.offer_rounds import offers_make_together
from evac.flights.offers import offer_deadline, offer_decline, offers_make, offers_round
from evac.flights.selectors import waiting_units
from evac.flights.services import booking_create
from evac.notifications.models import Notification
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


def _flight(operation, nqz, kbp, *, seats: int, days: int = 3) -> Flight:
    return make_flight(operation, nqz, kbp, seats=seats, departs_at=now() + timedelta(days=days))


def _asked(flight: Flight) -> list[int]:
    return list(
        flight.seat_offers.filter(status="offered").order_by("pk").values_list("citizen", flat=True)
    )


def _assert_counter_matches(flight: Flight) -> None:
    flight.refresh_from_db()
    booked = Booking.objects.filter(flight=flight, is_active=True).count()
    held = flight.seat_offers.filter(status="offered").aggregate(n=Sum("seats", default=0))["n"]
    assert flight.seats_booked == booked + held <= flight.seats_total


def test_a_round_gives_the_first_in_line_to_the_first_flight_to_leave_and_the_next_to_the_next(
    operation, almaty, nqz, kbp
):
    later = _flight(operation, nqz, kbp, seats=2, days=4)
    sooner = _flight(operation, nqz, kbp, seats=3, days=3)
    people = [make_citizen(operation, almaty, phone="+77011234567") for _ in range(7)]

    made = offers_round(flights=[later, sooner], by=EVAC)

    assert len(made) == 5
    assert _asked(sooner) == [p.pk for p in people[:3]]
    assert _asked(later) == [p.pk for p in people[3:5]]
    for flight in (sooner, later):
        _assert_counter_matches(flight)
        assert flight.seats_left == 0
    # Each person told once, in the offer's language and channel, queued together.
    assert Notification.objects.filter(kind="seat_offered").count() == 5
    # Each offer's history names its people, as a single offer's does.
    for offer in made:
        (record,) = offer.history.all()
        assert list(record.people.values_list("citizen", flat=True)) == [offer.citizen_id]


def test_someone_who_declined_a_flight_is_offered_the_next_flight_but_not_that_one_again(
    operation, almaty, nqz, kbp
):
    first = _flight(operation, nqz, kbp, seats=1, days=3)
    second = _flight(operation, nqz, kbp, seats=1, days=4)
    people = [make_citizen(operation, almaty) for _ in range(3)]
    (offer,) = offers_make(flight=first, by=EVAC)
    offer_decline(offer=offer, by=EVAC)

    offers_round(flights=[first, second], by=EVAC)

    assert _asked(first) == [people[1].pk]
    assert _asked(second) == [people[0].pk]


def test_a_unit_booked_before_the_round_takes_its_seats_is_left_out_and_its_seats_go_back(
    operation, almaty, nqz, kbp
):
    flight = _flight(operation, nqz, kbp, seats=3)
    elsewhere = _flight(operation, nqz, kbp, seats=3, days=5)
    people = [make_citizen(operation, almaty) for _ in range(3)]
    units = waiting_units(operation, limit=3)
    booking_create(flight=elsewhere, citizen=people[1], by=EVAC)  # after the list was read

    made = offers_make_together(
        flight=flight, units=units, by=EVAC, expires_at=offer_deadline(flight)
    )

    assert [offer.citizen_id for offer in made] == [people[0].pk, people[2].pk]
    _assert_counter_matches(flight)
    assert flight.seats_left == 1


def test_a_round_whose_unit_holds_an_offer_by_now_keeps_none_and_asks_one_by_one(
    operation, almaty, nqz, kbp
):
    flight = _flight(operation, nqz, kbp, seats=2)
    other = _flight(operation, nqz, kbp, seats=1, days=5)
    people = [make_citizen(operation, almaty) for _ in range(3)]
    units = waiting_units(operation, limit=2)
    offers_make(flight=other, by=EVAC)  # the first in line is asked for the other flight

    made = offers_make_together(
        flight=flight, units=units, by=EVAC, expires_at=offer_deadline(flight)
    )
    assert [offer.citizen_id for offer in made] == [people[1].pk]
    _assert_counter_matches(flight)

    offers_round(flights=[flight], by=EVAC)  # the seat left goes to the next in line
    assert _asked(flight) == [people[1].pk, people[2].pk]
    _assert_counter_matches(flight)
    assert SeatOffer.objects.filter(status="offered").count() == 3

"""Journeys: a train to the flight's city, then the flight, booked as one; legs that must
connect; cancelling frees every leg; a lost leg leaves the person stranded and told."""

from datetime import timedelta

import pytest

from evac.flights.journeys import (
    LegsDoNotConnect,
    journey_book,
    journey_book_from_where_they_are,
    journey_leg_add,
    stranded_between_legs,
)
from evac.flights.models import Booking, GroundTransfer, TransferSeat
from evac.flights.seats import FlightFull, TransferFull
from evac.flights.services import booking_cancel
from evac.flights.transfers import transfer_set_status
from evac.notifications.models import Notification
from evac.people.models import Citizen
from tests.factories import make_citizen, make_flight
from tests.flights.factories import make_transfer
from tests.flights.test_transfers import _family

pytestmark = pytest.mark.django_db


@pytest.fixture
def train(operation, almaty, nur_sultan):
    return make_transfer(operation, almaty, nur_sultan, seats=3)


def _counts(*rows):
    for row in rows:
        row.refresh_from_db()
    return [row.seats_booked for row in rows]


def test_a_household_takes_a_seat_on_the_train_and_the_flight_at_once(
    operation, almaty, train, flight, alice
):
    family = _family(operation, almaty, "2016-04-05")

    journey = journey_book(flight=flight, transfers=[train], household=family, by=alice)

    assert _counts(train, flight) == [2, 2]
    assert {leg.connects_to_id for leg in journey.legs} == {b.pk for b in journey.bookings}
    assert set(family.members.values_list("status", flat=True)) == {Citizen.Status.BOOKED}


def test_a_full_train_refuses_the_whole_journey(operation, almaty, nur_sultan, flight, alice):
    one_seat = make_transfer(operation, almaty, nur_sultan, seats=1)
    family = _family(operation, almaty, "1990-01-01")

    with pytest.raises(TransferFull):
        journey_book(flight=flight, transfers=[one_seat], household=family, by=alice)

    assert _counts(one_seat, flight) == [0, 0]
    assert not Booking.objects.exists() and not TransferSeat.objects.exists()


def test_a_full_flight_refuses_the_whole_journey(operation, almaty, nqz, kbp, train, alice):
    one_seat = make_flight(operation, nqz, kbp, seats=1)
    family = _family(operation, almaty, "1990-01-01")

    with pytest.raises(FlightFull):
        journey_book(flight=one_seat, transfers=[train], household=family, by=alice)

    assert _counts(train, one_seat) == [0, 0]


def test_a_train_arriving_after_the_report_time_less_the_margin_does_not_connect(
    operation, almaty, nur_sultan, flight, alice, settings
):
    settings.EVAC_CONNECTION_MARGIN_MINUTES = 60
    # The flight leaves 08:20 UTC, report 05:20 UTC; this train arrives 04:40 UTC.
    late = make_transfer(
        operation,
        almaty,
        nur_sultan,
        departs_at=flight.departs_at - timedelta(hours=14, minutes=40),
    )
    olena = make_citizen(operation, almaty)

    with pytest.raises(LegsDoNotConnect, match="needs people at NQZ by 13 Jan 10:20"):
        journey_book(flight=flight, transfers=[late], citizen=olena, by=alice)
    settings.EVAC_CONNECTION_MARGIN_MINUTES = 30
    journey_book(flight=flight, transfers=[late], citizen=olena, by=alice)

    assert _counts(late, flight) == [1, 1]


def test_a_train_to_another_city_does_not_connect(operation, almaty, kyiv, flight, alice):
    to_kyiv = make_transfer(operation, almaty, kyiv)

    with pytest.raises(LegsDoNotConnect, match=r"flight \S+ leaves from Nur-Sultan"):
        journey_book(
            flight=flight, transfers=[to_kyiv], citizen=make_citizen(operation, almaty), by=alice
        )


def test_the_first_leg_leaves_from_where_the_person_is(operation, nur_sultan, train, flight, alice):
    already_there = make_citizen(operation, nur_sultan)

    with pytest.raises(LegsDoNotConnect, match="not in Almaty"):
        journey_book(flight=flight, transfers=[train], citizen=already_there, by=alice)


def test_two_legs_must_meet_in_the_same_city_with_time_to_change(
    operation, almaty, nur_sultan, kyiv, flight, alice
):
    early = flight.departs_at - timedelta(hours=40)
    first = make_transfer(operation, almaty, kyiv, departs_at=early, hours=5)
    second = make_transfer(operation, almaty, nur_sultan, departs_at=early + timedelta(hours=6))
    olena = make_citizen(operation, almaty)

    with pytest.raises(LegsDoNotConnect, match="arrives in Kyiv, but"):
        journey_book(flight=flight, transfers=[first, second], citizen=olena, by=alice)


def test_cancelling_the_flight_seat_frees_every_leg(operation, almaty, train, flight, alice):
    olena = make_citizen(operation, almaty)
    journey = journey_book(flight=flight, transfers=[train], citizen=olena, by=alice)

    booking_cancel(booking=journey.bookings[0], by=alice)

    assert _counts(train, flight) == [0, 0]
    (leg,) = TransferSeat.objects.all()
    assert (leg.status, leg.is_active) == (TransferSeat.Status.CANCELLED, False)


def test_a_cancelled_train_strands_the_people_on_it_and_tells_them(
    operation, almaty, train, flight, alice
):
    olena = make_citizen(operation, almaty, phone="+77011234567", preferred_language="en")
    journey = journey_book(flight=flight, transfers=[train], citizen=olena, by=alice)

    transfer_set_status(transfer=train, status=GroundTransfer.Status.CANCELLED, by=alice)

    (stranded,) = stranded_between_legs(operation)
    assert stranded.booking == journey.bookings[0] and stranded.lost_leg.transfer == train
    assert _counts(flight) == [1]
    told = Notification.objects.get(kind=Notification.Kind.SEAT_CANCELLED, citizen=olena)
    assert "Your flight seat stays; we will call you" in told.body


def test_a_new_train_to_the_flight_ends_the_stranding(
    operation, almaty, nur_sultan, train, flight, alice
):
    olena = make_citizen(operation, almaty)
    journey = journey_book(flight=flight, transfers=[train], citizen=olena, by=alice)
    transfer_set_status(transfer=train, status=GroundTransfer.Status.CANCELLED, by=alice)
    bus = make_transfer(operation, almaty, nur_sultan, mode="bus", number="7")

    journey_leg_add(booking=journey.bookings[0], transfer=bus, by=alice)

    assert stranded_between_legs(operation) == []
    assert _counts(bus) == [1]


def test_a_unit_in_another_city_is_booked_with_the_connecting_train(
    operation, almaty, train, flight, alice
):
    family = _family(operation, almaty, "1990-01-01")

    journey = journey_book_from_where_they_are(flight=flight, household=family, by=alice)

    assert {leg.transfer for leg in journey.legs} == {train}
    assert _counts(train, flight) == [2, 2]


def test_a_unit_in_the_flights_city_is_booked_straight_on_it(
    operation, nur_sultan, train, flight, alice
):
    journey = journey_book_from_where_they_are(
        flight=flight, citizen=make_citizen(operation, nur_sultan), by=alice
    )

    assert journey.legs == [] and _counts(train, flight) == [0, 1]


def test_no_connecting_train_with_room_is_said_with_the_deadline(
    operation, almaty, nur_sultan, flight, alice, settings
):
    settings.EVAC_CONNECTION_MARGIN_MINUTES = 60
    make_transfer(operation, almaty, nur_sultan, seats=1)
    family = _family(operation, almaty, "1990-01-01")

    # Report time 05:20 UTC is 10:20 in Nur-Sultan; an hour to spare makes it 09:20.
    with pytest.raises(
        LegsDoNotConnect, match="No transfer from Almaty with 2 seats arriving before 13 Jan 09:20"
    ):
        journey_book_from_where_they_are(flight=flight, household=family, by=alice)


def test_the_add_passengers_page_offers_the_journey(
    client, operation, almaty, train, flight, alice
):
    from django.urls import reverse

    olena = make_citizen(operation, almaty)
    client.force_login(alice)
    url = reverse("flights:add_passengers", args=[operation.slug, flight.pk])

    page = client.get(url)
    client.post(url, {"journey": f"citizen:{olena.pk}"})

    assert "Needs a transfer" in page.text and "Book with the transfer" in page.text
    assert TransferSeat.objects.filter(citizen=olena, transfer=train, is_active=True).exists()

"""A person who misses the train of their journey is stranded between legs, as when the train
is cancelled: their flight seat stays, they are told, and staff see them on the transfers page."""

import pytest
from django.urls import reverse

from evac.flights.journeys import journey_book, journey_leg_add, stranded_between_legs
from evac.flights.models import GroundTransfer, TransferSeat
from evac.flights.transfers import transfer_seat_set_status, transfer_set_status
from evac.notifications.models import Notification
from tests.factories import make_citizen
from tests.flights.factories import make_transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def train(operation, almaty, nur_sultan):
    return make_transfer(operation, almaty, nur_sultan, seats=5)


@pytest.fixture
def on_the_way(operation, almaty, train, flight, alice):
    """Olena (Ukrainian, by SMS) and Ivan booked on the train, then the flight; boarding."""
    olena = make_citizen(
        operation, almaty, surname="Koval", phone="+77011234567", preferred_language="uk"
    )
    ivan = make_citizen(operation, almaty, surname="Shevchenko", phone="+77011234568")
    journeys = [
        journey_book(flight=flight, transfers=[train], citizen=person, by=alice)
        for person in (olena, ivan)
    ]
    transfer_set_status(transfer=train, status=GroundTransfer.Status.BOARDING, by=alice)
    return olena, ivan, journeys


def _seat(train, person):
    return TransferSeat.objects.get(transfer=train, citizen=person)


def test_one_not_on_board_when_the_train_leaves_is_stranded_with_their_flight_seat_kept(
    operation, train, flight, alice, bob, on_the_way
):
    olena, ivan, journeys = on_the_way
    transfer_seat_set_status(seat=_seat(train, ivan), status="boarded", by=bob)

    transfer_set_status(transfer=train, status=GroundTransfer.Status.DEPARTED, by=alice)

    (stranded,) = stranded_between_legs(operation)
    assert stranded.booking == journeys[0].bookings[0] and stranded.missed
    stranded.booking.refresh_from_db()
    assert stranded.booking.is_active
    flight.refresh_from_db()
    assert flight.seats_booked == 2
    told = Notification.objects.get(kind=Notification.Kind.SEAT_CANCELLED, citizen=olena)
    assert "Поїзд 12 Almaty – Nur-Sultan 12 січня 20:40 вирушив без вас" in told.body
    assert "Місце на літак за вами" in told.body
    assert not Notification.objects.filter(kind="seat_cancelled", citizen=ivan).exists()


def test_marked_a_no_show_by_the_officer_they_are_stranded_until_marked_boarded(
    operation, train, bob, on_the_way
):
    olena, _ivan, journeys = on_the_way
    seat = _seat(train, olena)

    transfer_seat_set_status(seat=seat, status="no_show", by=bob)
    assert [s.booking for s in stranded_between_legs(operation)] == [journeys[0].bookings[0]]

    transfer_seat_set_status(seat=seat, status="boarded", by=bob)
    assert stranded_between_legs(operation) == []


def test_another_way_to_the_flight_ends_the_stranding(
    operation, almaty, nur_sultan, train, alice, bob, on_the_way
):
    olena, _ivan, journeys = on_the_way
    transfer_set_status(transfer=train, status=GroundTransfer.Status.DEPARTED, by=alice)
    bus = make_transfer(operation, almaty, nur_sultan, mode="bus", number="7")

    journey_leg_add(booking=journeys[0].bookings[0], transfer=bus, by=alice)

    assert olena not in [s.booking.citizen for s in stranded_between_legs(operation)]


def test_the_transfers_page_lists_a_no_show_as_stranded(
    client, operation, train, alice, bob, on_the_way
):
    olena, _ivan, _journeys = on_the_way
    transfer_seat_set_status(seat=_seat(train, olena), status="no_show", by=bob)
    client.force_login(bob)

    page = client.get(reverse("transfers:list", args=[operation.slug]))

    assert "Stranded between legs" in page.text
    assert str(olena) in page.text and "No-show" in page.text

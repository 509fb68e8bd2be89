"""Cancelling a journey keeps the minors rule on its train as well as on its flight: a child
is not left on a train leg without an adult of their household."""

import pytest

from evac.flights.journeys import journey_book
from evac.flights.minors import MinorWithoutAdult
from evac.flights.models import TransferSeat
from evac.flights.services import booking_cancel, booking_create
from tests.flights.factories import make_transfer
from tests.flights.test_transfers import _family

pytestmark = pytest.mark.django_db


@pytest.fixture
def family_on_the_way(operation, almaty, nur_sultan, flight, alice):
    """Oksana and her daughter take the train, then the flight; Oksana's husband is booked
    on the same flight only (he gets to Nur-Sultan by himself)."""
    train = make_transfer(operation, almaty, nur_sultan)
    family = _family(operation, almaty, "1978-05-06", "2016-04-05")
    mother, father, daughter = family.members.order_by("pk")
    booking_create(flight=flight, citizen=father, by=alice)
    mothers = journey_book(flight=flight, transfers=[train], citizen=mother, by=alice)
    journey_book(flight=flight, transfers=[train], citizen=daughter, by=alice)
    return mothers.bookings[0], daughter, train


def test_cancelling_the_only_adult_on_the_train_is_refused_though_the_flight_has_one(
    family_on_the_way, alice
):
    mothers_seat, _daughter, train = family_on_the_way

    with pytest.raises(MinorWithoutAdult, match=str(train)):
        booking_cancel(booking=mothers_seat, by=alice)

    mothers_seat.refresh_from_db()
    assert mothers_seat.is_active
    assert train.seats.filter(is_active=True).count() == 2


def test_with_a_reason_the_journey_goes_and_the_reason_is_written_on_the_childs_train_seat(
    family_on_the_way, alice
):
    mothers_seat, daughter, train = family_on_the_way

    booking_cancel(
        booking=mothers_seat, by=alice, unaccompanied_reason="Travels with a consular escort"
    )

    (left,) = TransferSeat.objects.filter(transfer=train, is_active=True)
    assert left.citizen == daughter
    assert left.unaccompanied_reason == "Travels with a consular escort"

"""The flight page shows its seat offers, and staff make offers and answer for a caller."""

from datetime import timedelta

import pytest
from django.urls import reverse

from evac.core.clock import now
from evac.flights.models import Booking, Flight, SeatOffer
from evac.flights.offers import offer_next
from evac.flights.services import booking_create, booking_set_status, flight_set_status
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon(operation, nqz, kbp):
    return make_flight(operation, nqz, kbp, seats=2, departs_at=now() + timedelta(days=2))


def _page(client, operation, flight):
    return client.get(reverse("flights:manifest", args=[operation.slug, flight.pk]))


def _post(client, operation, flight, **data):
    return client.post(reverse("flights:offers", args=[operation.slug, flight.pk]), data)


def test_a_coordinator_offers_the_free_seats_and_sees_who_holds_them(
    client, operation, almaty, soon, alice
):
    make_citizen(operation, almaty, surname="Zaporozhets")
    client.force_login(alice)

    _post(client, operation, soon, do="make")
    page = _page(client, operation, soon).content.decode()

    assert SeatOffer.objects.filter(flight=soon, status="offered").count() == 1
    assert "ZAPOROZHETS" in page.upper() and "Seat offers" in page
    assert "1 seat free, not offered." in page


def test_an_officer_accepts_for_a_person_who_calls(client, operation, almaty, soon, alice, bob):
    person = make_citizen(operation, almaty)
    offer = offer_next(flight=soon, by=alice)
    client.force_login(bob)

    _post(client, operation, soon, do="accept", offer=offer.pk)

    assert Booking.objects.get(citizen=person, is_active=True).flight_id == soon.pk
    offer.refresh_from_db()
    assert (offer.status, offer.decided_by) == ("accepted", bob)


def test_a_viewer_sees_offers_but_cannot_make_or_answer_them(
    client, operation, almaty, soon, alice, carol
):
    make_citizen(operation, almaty)
    offer = offer_next(flight=soon, by=alice)
    client.force_login(carol)

    assert _page(client, operation, soon).status_code == 200
    assert _post(client, operation, soon, do="make").status_code == 403
    assert _post(client, operation, soon, do="decline", offer=offer.pk).status_code == 403
    assert SeatOffer.objects.get(pk=offer.pk).status == "offered"


def test_after_departure_the_page_says_how_many_seats_flew_empty(
    client, operation, almaty, soon, alice
):
    Flight.objects.filter(pk=soon.pk).update(status=Flight.Status.DEPARTED)
    client.force_login(alice)

    assert "2 seats flew empty." in _page(client, operation, soon).content.decode()


def test_after_departure_the_page_says_why_seats_flew_empty(
    client, operation, almaty, nqz, kbp, alice
):
    flight = make_flight(operation, nqz, kbp, seats=4, departs_at=now() + timedelta(days=2))
    on_board, missing = (make_citizen(operation, almaty) for _ in range(2))
    boarded = booking_create(flight=flight, citizen=on_board, by=alice)
    booking_create(flight=flight, citizen=missing, by=alice)
    Flight.objects.filter(pk=flight.pk).update(
        offers=Flight.Offers.OFF, departs_at=now() + timedelta(hours=1)
    )  # it leaves within the hour
    flight.refresh_from_db()
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    booking_set_status(booking=boarded, status=Booking.Status.BOARDED, by=alice)
    flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=alice)
    client.force_login(alice)

    page = _page(client, operation, flight).content.decode()

    assert "3 seats flew empty." in page
    assert 'data-no-shows="1" data-unfilled="2"' in page
    assert "1 booked but did not board; 2 held by nobody when the flight left" in page
    assert "seat offers were off for this flight" in page

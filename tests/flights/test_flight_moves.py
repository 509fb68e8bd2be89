"""Open flights from an airport suspended after they were planned move, in one step, to
another airport of the operation, and everyone booked is told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evac.flights.models import Flight
from evac.flights.moves import flight_move_departure, flights_from_suspended_airports
from evac.flights.services import booking_create
from evac.notifications.models import Notification
from evac.operations.services import airport_set_status
from evac.places.models import Airport
from tests.factories import make_airport, make_citizen, make_flight

pytestmark = pytest.mark.django_db


@pytest.fixture
def from_almaty(operation, almaty, kbp):
    ala = make_airport("ALA", almaty)
    return make_flight(operation, ala, kbp)


def _suspend(operation, airport, alice):
    airport_set_status(
        operation=operation, airport=airport, status="suspended", note="Military use", by=alice
    )


def test_a_flight_from_a_suspended_airport_is_listed_to_move(operation, from_almaty, alice):
    assert list(flights_from_suspended_airports(operation)) == []

    _suspend(operation, from_almaty.departure_airport, alice)

    assert list(flights_from_suspended_airports(operation)) == [from_almaty]


def test_moving_it_tells_everyone_booked_the_new_airport(
    operation, almaty, from_almaty, nqz, alice
):
    olena = make_citizen(operation, almaty, phone="+77011234567", preferred_language="en")
    booking_create(flight=from_almaty, citizen=olena, by=alice)
    _suspend(operation, from_almaty.departure_airport, alice)

    moved = flight_move_departure(flight=from_almaty, airport=nqz, by=alice)

    assert moved.departure_airport == nqz
    assert list(flights_from_suspended_airports(operation)) == []
    # Told once: the confirmation not yet sent is rewritten with the new airport, or else a
    # "flight changed" notice goes out (notifications.travel.flight_updated).
    told = Notification.objects.filter(citizen=olena, status=Notification.Status.PENDING)
    assert told.exists() and all("NQZ" in m.body for m in told)


def test_it_cannot_move_to_another_suspended_airport_or_abroad(
    operation, from_almaty, kbp, nur_sultan, alice
):
    _suspend(operation, from_almaty.departure_airport, alice)
    other = make_airport("NQX", nur_sultan, status=Airport.Status.SUSPENDED)

    with pytest.raises(ValidationError, match="suspended"):
        flight_move_departure(flight=from_almaty, airport=other, by=alice)
    with pytest.raises(ValidationError, match="operation's country"):
        flight_move_departure(flight=from_almaty, airport=kbp, by=alice)
    assert Flight.objects.get(pk=from_almaty.pk).departure_airport.iata_code == "ALA"


def test_an_officer_may_not_move_a_flight(operation, from_almaty, nqz, alice, bob):
    _suspend(operation, from_almaty.departure_airport, alice)

    with pytest.raises(PermissionDenied):
        flight_move_departure(flight=from_almaty, airport=nqz, by=bob)


def test_the_airports_page_moves_it_in_one_click(client, operation, from_almaty, nqz, alice):
    from django.urls import reverse

    _suspend(operation, from_almaty.departure_airport, alice)
    client.force_login(alice)
    page = client.get(reverse("operations:airports", args=[operation.slug]))

    client.post(
        reverse("operations:flight-move", args=[operation.slug, from_almaty.pk]),
        {"airport": nqz.pk},
    )

    assert "Flights from suspended airports" in page.text
    assert Flight.objects.get(pk=from_almaty.pk).departure_airport == nqz

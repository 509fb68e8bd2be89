import pytest
from django.urls import reverse

from evac.flights.models import Booking, Flight
from evac.flights.services import booking_create, booking_set_status, flight_set_status
from evac.people.models import Citizen
from evac.places.models import Airport
from tests.factories import make_citizen, make_flight
from tests.pages import text

pytestmark = pytest.mark.django_db


def _url(flight, to=None):
    url = reverse("flights:status", args=[flight.operation.slug, flight.pk])
    return f"{url}?to={to}" if to else url


def _book(flight, city, n, by):
    return [
        booking_create(flight=flight, citizen=make_citizen(flight.operation, city), by=by)
        for _ in range(n)
    ]


def test_the_cancel_confirmation_says_how_many_return_to_the_waiting_list(
    client, operation, almaty, nqz, kbp, alice
):
    flight = make_flight(operation, nqz, kbp, number="PS 9004", seats=20)
    _book(flight, almaty, 12, alice)
    client.force_login(alice)

    response = client.get(_url(flight, "cancelled"))

    assert "Cancelling PS 9004 returns 12 passengers to the waiting list." in text(response)
    assert 'name="to" value="cancelled"' in response.content.decode()
    flight.refresh_from_db()
    assert flight.status == Flight.Status.OPEN  # a GET changes nothing


def test_confirming_cancels_the_flight_and_frees_the_seats(
    client, operation, almaty, flight, alice
):
    bookings = _book(flight, almaty, 2, alice)
    client.force_login(alice)

    response = client.post(_url(flight), {"to": "cancelled"}, follow=True)

    flight.refresh_from_db()
    assert flight.status == Flight.Status.CANCELLED and flight.seats_booked == 0
    people = Citizen.objects.filter(pk__in=[b.citizen_id for b in bookings])
    assert set(people.values_list("status", flat=True)) == {Citizen.Status.WAITING}
    assert response.redirect_chain[-1][0] == reverse(
        "flights:manifest", args=[operation.slug, flight.pk]
    )
    assert "is now cancelled" in text(response)


def test_the_departure_confirmation_counts_boarded_and_missing_passengers(
    client, operation, almaty, flight, alice, pin_clock
):
    first, second, _never_marked = _book(flight, almaty, 3, alice)
    pin_clock(flight.departs_at)
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    booking_set_status(booking=first, status=Booking.Status.BOARDED, by=alice)
    booking_set_status(booking=second, status=Booking.Status.BOARDED, by=alice)
    client.force_login(alice)

    page = text(client.get(_url(flight, "departed")))

    assert "records 2 boarded passengers as evacuated" in page
    assert "1 passenger who did not board is marked no-show" in page


def test_opening_on_a_suspended_airport_is_refused_clearly(client, operation, ala, kbp, alice):
    # Planned while the airport was open; it closed to civil aircraft afterwards.
    ala.status = Airport.Status.OPEN
    flight = make_flight(operation, ala, kbp, status=Flight.Status.PLANNED)
    client.force_login(alice)

    response = client.get(_url(flight, "open"))
    post = client.post(_url(flight), {"to": "open"}, follow=True)

    page = text(response)
    assert "ALA — Almaty airport is suspended; move the flight to an open airport first." in page
    assert 'name="to" value="open"' not in response.content.decode()
    assert "is suspended" in text(post)
    flight.refresh_from_db()
    assert flight.status == Flight.Status.PLANNED


def test_a_transition_the_rules_forbid_is_explained_and_alternatives_offered(
    client, operation, flight, alice
):
    client.force_login(alice)

    response = client.get(_url(flight, "landed"))

    assert "A flight that is open for booking can't become landed." in text(response)
    assert 'href="?to=boarding"' in response.content.decode()
    assert 'href="?to=cancelled"' in response.content.decode()


def test_the_manifest_links_to_each_allowed_status_change(client, operation, flight, alice):
    client.force_login(alice)

    page = client.get(reverse("flights:manifest", args=[operation.slug, flight.pk])).content
    page = page.decode()

    for status in ("planned", "boarding", "cancelled"):
        assert f"{_url(flight)}?to={status}" in page
    assert f"{_url(flight)}?to=departed" not in page


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_coordinators_change_a_flights_status(client, flight, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(_url(flight, "cancelled")).status_code == 403
    assert client.post(_url(flight), {"to": "cancelled"}).status_code == 403
    flight.refresh_from_db()
    assert flight.status == Flight.Status.OPEN


def test_an_unknown_status_is_not_found(client, flight, alice):
    client.force_login(alice)

    assert client.post(_url(flight), {"to": "teleported"}).status_code == 404

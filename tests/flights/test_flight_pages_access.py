"""Who may open which flight page: coordinators plan and book, officers board, viewers read."""

import pytest
from django.urls import reverse

from evac.flights.models import Flight
from evac.flights.services import booking_create, flight_set_status
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

# page → the status each role gets for a GET: alice (coordinator), bob (officer),
# carol (viewer), dave (coordinator of another operation).
GET_STATUS = {
    "list": (200, 200, 200, 404),
    "new": (200, 403, 403, 404),
    "manifest": (200, 200, 200, 404),
    "edit": (200, 403, 403, 404),
    "status": (200, 403, 403, 404),
    "add_passengers": (200, 403, 403, 404),
    "cancel_seat": (200, 403, 403, 404),
    "boarding": (200, 200, 403, 404),
    "boarding_counts": (200, 200, 403, 404),
    "board": (405, 405, 403, 404),
    "print": (200, 200, 200, 404),
    "export": (200, 200, 403, 404),  # whole documents: not for a viewer
}


@pytest.fixture
def urls(operation, almaty, flight, alice):
    booking = booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=alice)
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    args = {"op": operation.slug, "pk": flight.pk, "booking_pk": booking.pk, "fmt": "csv"}

    def url(name):
        wanted = {
            "list": ["op"],
            "new": ["op"],
            "cancel_seat": ["op", "pk", "booking_pk"],
            "board": ["op", "pk", "booking_pk"],
            "export": ["op", "pk", "fmt"],
        }.get(name, ["op", "pk"])
        return reverse(f"flights:{name}", kwargs={k: args[k] for k in wanted})

    return url


@pytest.mark.parametrize("page", list(GET_STATUS))
def test_each_role_gets_what_it_may_see(client, urls, alice, bob, carol, dave, page):
    got = []
    for user in (alice, bob, carol, dave):
        client.force_login(user)
        got.append(client.get(urls(page)).status_code)

    assert tuple(got) == GET_STATUS[page]


@pytest.mark.parametrize("page", list(GET_STATUS))
def test_anonymous_visitors_are_sent_to_log_in(client, urls, page):
    response = client.get(urls(page))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("page", ["list", "manifest", "print", "export", "boarding_counts"])
def test_read_only_pages_refuse_a_post(client, urls, alice, page):
    client.force_login(alice)

    assert client.post(urls(page)).status_code == 405


def test_every_flight_page_highlights_flights_in_the_navigation(client, urls, alice):
    client.force_login(alice)

    for page in ("list", "new", "manifest", "edit", "status", "add_passengers", "boarding"):
        response = client.get(urls(page))
        assert response.context["nav"] == "flights", page

"""Status decisions (stays, left, unreachable, waiting again) go through a confirmation."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from evac.flights.models import Booking
from evac.flights.services import booking_create
from evac.people.models import Citizen
from evac.people.services import citizen_set_status
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def status_url(operation, citizen) -> str:
    return reverse("people:status", args=[operation.slug, citizen.reference_code])


def test_the_confirmation_says_which_seat_is_freed_and_changes_nothing(
    client, alice, operation, almaty, flight
):
    olena = make_citizen(operation, almaty, surname="Koval", given_names="Olena")
    booking = booking_create(flight=flight, citizen=olena, by=alice)
    client.force_login(alice)

    response = client.get(status_url(operation, olena), {"status": "decided_to_stay"})

    assert response.status_code == 200
    said = " ".join(response.context["preview"].consequences)
    assert f"KOVAL Olena holds a seat on {flight.number} on 13 Jan" in said
    assert "frees the seat" in said
    content = response.content.decode()
    assert 'name="status" value="decided_to_stay"' in content
    assert "Yes, mark as decided to stay" in content
    booking.refresh_from_db()
    olena.refresh_from_db()
    assert booking.is_active and olena.status == Citizen.Status.BOOKED


def test_confirming_records_the_decision_and_frees_the_seat(
    client, alice, operation, almaty, flight
):
    olena = make_citizen(operation, almaty)
    booking = booking_create(flight=flight, citizen=olena, by=alice)
    client.force_login(alice)

    response = client.post(status_url(operation, olena), {"status": "decided_to_stay"})

    assert response.url == reverse("people:detail", args=[operation.slug, olena.reference_code])
    olena.refresh_from_db()
    booking.refresh_from_db()
    flight.refresh_from_db()
    assert olena.status == Citizen.Status.DECIDED_TO_STAY
    assert booking.status == Booking.Status.CANCELLED and not booking.is_active
    assert flight.seats_booked == 0
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "decided to stay" in message and flight.number in message
    assert olena.history.latest().history_user == alice


@pytest.mark.parametrize("status", ["unreachable", "left_by_own_means", "decided_to_stay"])
def test_a_waiting_person_can_be_marked(client, bob, operation, almaty, status):
    olena = make_citizen(operation, almaty)
    client.force_login(bob)

    client.post(status_url(operation, olena), {"status": status})

    olena.refresh_from_db()
    assert olena.status == status


def test_someone_who_decided_to_stay_can_wait_again(client, bob, operation, almaty):
    olena = make_citizen(operation, almaty)
    citizen_set_status(citizen=olena, status=Citizen.Status.DECIDED_TO_STAY, by=bob)
    client.force_login(bob)

    confirm = client.get(status_url(operation, olena), {"status": "waiting"})
    client.post(status_url(operation, olena), {"status": "waiting"})

    assert "back on the waiting list" in " ".join(confirm.context["preview"].consequences)
    olena.refresh_from_db()
    assert olena.status == Citizen.Status.WAITING


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_change_the_rules_forbid_is_refused_with_a_message(
    client, alice, operation, almaty, flight, method
):
    olena = make_citizen(operation, almaty)
    booking_create(flight=flight, citizen=olena, by=alice)
    client.force_login(alice)

    # A booked person goes back to waiting only by cancelling the seat; evacuated is
    # never set by hand.
    for status, refusal in (
        ("waiting", "cancel the seat"),
        ("evacuated", "follow from the flights"),
        ("nonsense", "can't be given that status"),
    ):
        response = getattr(client, method)(status_url(operation, olena), {"status": status})
        assert response.status_code == 302
        assert refusal in str(list(get_messages(response.wsgi_request))[-1])

    olena.refresh_from_db()
    assert olena.status == Citizen.Status.BOOKED

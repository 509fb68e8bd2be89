"""Cancelling a seat is a coordinator's: a change of status that would cancel one (a booked
person who stays, left, or can't be reached) is refused to an officer, through the page and
the API alike, with the same words. The person themselves may still give up their own seat on
the portal."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evac.flights.models import Booking
from evac.flights.services import booking_create
from evac.people.models import Citizen
from evac.people.services import citizen_set_status
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

REFUSAL = "only a coordinator may cancel a seat"
SEAT_CANCELLING = ["decided_to_stay", "left_by_own_means", "unreachable"]


@pytest.fixture
def booked(operation, almaty, flight, alice):
    olena = make_citizen(operation, almaty, surname="Koval", given_names="Olena")
    return olena, booking_create(flight=flight, citizen=olena, by=alice)


def _still_booked(olena: Citizen, booking: Booking) -> bool:
    olena.refresh_from_db()
    booking.refresh_from_db()
    return olena.status == Citizen.Status.BOOKED and booking.is_active


@pytest.mark.parametrize("status", SEAT_CANCELLING)
def test_the_service_refuses_an_officer_a_change_that_cancels_a_seat(booked, bob, status):
    olena, booking = booked

    with pytest.raises(PermissionDenied) as refused:
        citizen_set_status(citizen=olena, status=status, by=bob)

    assert REFUSAL in str(refused.value)
    assert _still_booked(olena, booking)


def test_an_officers_post_on_the_page_is_refused_with_the_services_words(
    client, booked, bob, operation
):
    olena, booking = booked
    client.force_login(bob)
    url = reverse("people:status", args=[operation.slug, olena.reference_code])

    response = client.post(url, {"status": "decided_to_stay"})

    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(said) == 1 and REFUSAL in said[0]
    assert _still_booked(olena, booking)


def test_an_officer_is_told_before_confirming_and_offered_no_such_change(
    client, booked, bob, operation
):
    olena, booking = booked
    client.force_login(bob)
    url = reverse("people:status", args=[operation.slug, olena.reference_code])

    confirm = client.get(url, {"status": "decided_to_stay"})
    page = client.get(reverse("people:detail", args=[operation.slug, olena.reference_code]))

    assert confirm.status_code == 302
    assert REFUSAL in str(next(iter(get_messages(confirm.wsgi_request))))
    assert page.context["status_actions"] == []
    assert REFUSAL in page.content.decode()
    assert _still_booked(olena, booking)


def test_an_officers_api_call_is_refused_with_the_same_words(booked, bob, operation):
    olena, booking = booked

    response = token_client(bob).post(
        op_url(operation, f"citizens/{olena.reference}/status/"),
        {"status": "decided_to_stay"},
        format="json",
    )

    assert response.status_code == 403
    assert REFUSAL in error_of(response)["message"]
    assert _still_booked(olena, booking)


def test_a_coordinator_records_the_decision_and_frees_the_seat_through_either_door(
    client, operation, almaty, flight, alice
):
    by_page, by_api = (make_citizen(operation, almaty) for _ in range(2))
    seats = [booking_create(flight=flight, citizen=p, by=alice) for p in (by_page, by_api)]
    client.force_login(alice)

    client.post(
        reverse("people:status", args=[operation.slug, by_page.reference_code]),
        {"status": "decided_to_stay"},
    )
    answer = token_client(alice).post(
        op_url(operation, f"citizens/{by_api.reference}/status/"),
        {"status": "decided_to_stay"},
        format="json",
    )

    assert answer.status_code == 200
    for person, seat in zip((by_page, by_api), seats, strict=True):
        person.refresh_from_db()
        seat.refresh_from_db()
        assert person.status == Citizen.Status.DECIDED_TO_STAY and not seat.is_active


def test_an_officer_still_records_the_decision_of_someone_without_a_seat(operation, almaty, bob):
    olena = make_citizen(operation, almaty)

    citizen_set_status(citizen=olena, status="decided_to_stay", by=bob)

    olena.refresh_from_db()
    assert olena.status == Citizen.Status.DECIDED_TO_STAY

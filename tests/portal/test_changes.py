"""Changes from the portal: a one-time code, then the same services staff use."""

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.models import Booking
from evac.flights.services import booking_create
from evac.people.models import Citizen, ContactLogEntry
from tests.portal.conftest import last_code, send_all_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def looked_up(client, operation, olena):
    response = client.post(
        reverse("portal:status", args=[operation.slug]),
        {"reference": olena.reference, "date_of_birth": "1985-03-14"},
    )
    assert response.status_code == 302
    return client


def code_for(client, operation, action, sms_file) -> str:
    client.post(
        reverse("portal:send_code", args=[operation.slug]), {"do": action, "channel": "sms"}
    )
    send_all_pending()
    return last_code(sms_file)


def change(client, operation, action, **data):
    url = reverse("portal:change", args=[operation.slug])
    return client.post(url, {"do": action, **data})


def test_withdrawing_frees_the_seat_and_tells_staff(looked_up, operation, olena, flight, sms_file):
    booking = booking_create(flight=flight, citizen=olena, by=EVAC)
    code = code_for(looked_up, operation, "stay", sms_file)

    response = change(looked_up, operation, "stay", code=code)

    assert response.status_code == 302
    olena.refresh_from_db()
    flight.refresh_from_db()
    booking.refresh_from_db()
    assert olena.status == Citizen.Status.DECIDED_TO_STAY
    assert booking.status == Booking.Status.CANCELLED and flight.seats_left == 10
    assert olena.history.filter(status=Citizen.Status.DECIDED_TO_STAY).exists()
    entry = ContactLogEntry.objects.get(citizen=olena)
    assert entry.direction == "inbound" and "decided to stay" in entry.note


def test_left_by_own_means_from_the_waiting_list(looked_up, operation, olena, sms_file):
    code = code_for(looked_up, operation, "left", sms_file)
    change(looked_up, operation, "left", code=code)
    olena.refresh_from_db()
    assert olena.status == Citizen.Status.LEFT_BY_OWN_MEANS


def test_confirming_the_seat(looked_up, operation, olena, flight, sms_file):
    booking = booking_create(flight=flight, citizen=olena, by=EVAC)
    code = code_for(looked_up, operation, "confirm", sms_file)
    change(looked_up, operation, "confirm", code=code)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_updating_contacts(looked_up, operation, olena, sms_file):
    code = code_for(looked_up, operation, "contacts", sms_file)
    change(
        looked_up,
        operation,
        "contacts",
        code=code,
        phone="+77017770000",
        email="olena@example.org",
        temporary_address="Abay Ave 10",
    )
    olena.refresh_from_db()
    assert str(olena.phone) == "+77017770000" and olena.email == "olena@example.org"
    assert olena.temporary_address == "Abay Ave 10"


def test_a_wrong_code_changes_nothing(looked_up, operation, olena, flight, sms_file):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    code = code_for(looked_up, operation, "stay", sms_file)
    wrong = "000000" if code != "000000" else "111111"
    response = change(looked_up, operation, "stay", code=wrong)
    assert response.status_code == 200
    assert "wrong, expired or already used" in response.content.decode()
    olena.refresh_from_db()
    assert olena.status == Citizen.Status.BOOKED


def test_without_a_lookup_there_is_nothing_to_change(client, operation, olena):
    response = change(client, operation, "stay", code="123456")
    assert response.status_code == 302
    olena.refresh_from_db()
    assert olena.status == Citizen.Status.WAITING

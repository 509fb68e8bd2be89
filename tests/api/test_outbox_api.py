"""The outbox's buttons through the API: a failed message sent again, a waiting one
cancelled, by the same services and for the same roles as the outbox page."""

import pytest

from evac.core.actor import EVAC
from evac.flights.services import booking_create
from evac.notifications.models import Notification
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db
N = Notification


@pytest.fixture
def confirmation(operation, almaty, flight) -> Notification:
    olena = make_citizen(operation, almaty, phone="+77011234567")
    booking_create(flight=flight, citizen=olena, by=EVAC)
    return N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION)


def _url(operation, notification, action: str) -> str:
    return op_url(operation, f"notifications/{notification.pk}/{action}/")


def test_a_waiting_message_is_cancelled_and_then_not_again(operation, confirmation, bob):
    client = token_client(bob)

    response = client.post(_url(operation, confirmation, "cancel"))
    again = client.post(_url(operation, confirmation, "cancel"))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled" and response.json()["id"] == confirmation.pk
    confirmation.refresh_from_db()
    assert confirmation.status == N.Status.CANCELLED
    assert again.status_code == 409 and error_of(again)["code"] == "invalid_transition"


def test_a_failed_message_is_sent_again_and_a_waiting_one_is_not(operation, confirmation, alice):
    client = token_client(alice)
    refused = client.post(_url(operation, confirmation, "retry"))
    N.objects.filter(pk=confirmation.pk).update(status=N.Status.FAILED, attempts=5)

    response = client.post(_url(operation, confirmation, "retry"))

    assert refused.status_code == 409
    assert response.status_code == 200, response.content
    confirmation.refresh_from_db()
    assert confirmation.status == N.Status.PENDING and confirmation.attempts == 0


def test_a_viewer_may_do_neither(operation, confirmation, carol):
    for action in ("retry", "cancel"):
        assert token_client(carol).post(_url(operation, confirmation, action)).status_code == 403
    confirmation.refresh_from_db()
    assert confirmation.status == N.Status.PENDING


def test_another_operations_member_finds_no_message(operation, confirmation, dave):
    for action in ("retry", "cancel"):
        assert token_client(dave).post(_url(operation, confirmation, action)).status_code == 404

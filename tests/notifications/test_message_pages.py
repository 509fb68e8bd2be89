"""The outbox with its filters and buttons, and the messages on a person's page and a manifest."""

import re

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.services import booking_create
from evac.notifications import delivery
from evac.notifications.models import Notification
from evac.notifications.sms import PermanentSendError

pytestmark = pytest.mark.django_db
N = Notification


@pytest.fixture
def booked(flight, olena, john):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    booking_create(flight=flight, citizen=john, by=EVAC)
    return flight


def _outbox(operation, **query):
    url = reverse("notifications:outbox", args=[operation.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_outbox_lists_an_operations_messages_for_any_member(client, carol, booked):
    client.force_login(carol)

    response = client.get(_outbox(booked.operation))

    assert response.status_code == 200
    assert len(response.context["page"]) == 6
    assert b"Send again" not in response.content and b">Cancel<" not in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"channel": "email"}, 3),
        ({"kind": "flight_reminder"}, 4),
        ({"status": "sent"}, 0),
        ({"kind": "booking_confirmation", "channel": "sms"}, 1),
    ],
)
def test_the_outbox_filters(client, bob, booked, query, expected):
    client.force_login(bob)

    response = client.get(_outbox(booked.operation, **query))

    assert response.context["page"].paginator.count == expected


def test_the_outbox_filters_by_flight(client, bob, booked, operation, nqz, kbp):
    from tests.factories import make_flight

    other = make_flight(operation, nqz, kbp)
    client.force_login(bob)

    assert client.get(_outbox(operation, flight=booked.pk)).context["page"].paginator.count == 6
    assert client.get(_outbox(operation, flight=other.pk)).context["page"].paginator.count == 0


def test_an_officer_cancels_a_pending_message_from_the_outbox(client, bob, booked):
    client.force_login(bob)
    reminder = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).first()
    page = client.get(_outbox(booked.operation)).content.decode()
    assert reverse("notifications:cancel", args=[booked.operation.slug, reminder.pk]) in page

    response = client.post(
        reverse("notifications:cancel", args=[booked.operation.slug, reminder.pk]),
        {"next": _outbox(booked.operation)},
    )

    assert response.status_code == 302 and response["Location"] == _outbox(booked.operation)
    reminder.refresh_from_db()
    assert reminder.status == N.Status.CANCELLED


def test_a_failed_message_shows_its_error_and_is_sent_again_by_the_button(
    client, bob, booked, monkeypatch, sms_file
):
    confirmation = N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION, channel="sms")

    class Refusing:
        def send(self, **kwargs):
            raise PermanentSendError("21211 invalid number")

    monkeypatch.setattr("evac.notifications.delivery.sms_backend", lambda: Refusing())
    delivery.notification_send(notification_id=confirmation.pk)
    monkeypatch.undo()
    client.force_login(bob)

    page = client.get(_outbox(booked.operation, status="failed")).content.decode()
    assert "21211 invalid number" in page and "Send again" in page
    client.post(reverse("notifications:retry", args=[booked.operation.slug, confirmation.pk]))
    delivery.notification_send(notification_id=confirmation.pk)

    confirmation.refresh_from_db()
    assert confirmation.status == N.Status.SENT
    assert [line["reference"] for line in sms_file.read()] == [str(confirmation.pk)]


def test_a_viewer_cannot_cancel(client, carol, booked):
    client.force_login(carol)
    reminder = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).first()

    response = client.post(
        reverse("notifications:cancel", args=[booked.operation.slug, reminder.pk])
    )

    assert response.status_code == 403
    reminder.refresh_from_db()
    assert reminder.status == N.Status.PENDING


def test_another_operations_message_is_not_found(client, dave, booked, other_operation):
    client.force_login(dave)
    reminder = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).first()

    response = client.post(
        reverse("notifications:cancel", args=[other_operation.slug, reminder.pk])
    )

    assert response.status_code == 404


def test_a_persons_page_shows_their_messages(client, carol, booked, olena):
    client.force_login(carol)

    response = client.get(
        reverse("people:detail", args=[olena.operation.slug, olena.reference_code])
    )

    page = response.content.decode()
    assert "Messages" in page and "Booking confirmation" in page
    # Confirmation and two reminders; a viewer sees where they went masked.
    assert page.count("…67") >= 3
    assert "john@example.org" not in page


def test_a_manifest_shows_its_flights_messages(client, carol, booked, olena, john):
    client.force_login(carol)

    response = client.get(reverse("flights:manifest", args=[booked.operation.slug, booked.pk]))

    page = response.content.decode()
    assert "Flight reminder" in page
    # A viewer sees where they went, masked.
    assert "…67" in page and "j…@example.org" in page
    assert "+77011234567" not in page and "john@example.org" not in page


def test_the_navigation_links_to_the_messages(client, carol, operation):
    client.force_login(carol)

    page = client.get(reverse("operations:dashboard", args=[operation.slug])).content.decode()

    assert re.search(rf'href="{_outbox(operation)}"[^>]*>Messages<', page)

"""A broadcast is previewed with its count and text, then sent once on confirmation."""

import re

import pytest
from django.urls import reverse

from evac.flights.services import booking_create
from evac.notifications.models import Notification
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db
N = Notification


def _url(operation):
    return reverse("notifications:broadcast", args=[operation.slug])


def test_the_preview_counts_the_passengers_and_shows_the_text_then_confirm_sends_once(
    client, bob, flight, olena, john, operation, almaty
):
    booking_create(flight=flight, citizen=olena, by=None)
    booking_create(flight=flight, citizen=john, by=None)
    make_citizen(operation, almaty, phone="+77010000077")  # waiting, not on the flight
    client.force_login(bob)
    form = {"audience": "flight", "flight": flight.pk, "text": "Автобус о 06:00 від посольства."}

    preview = client.post(_url(operation), form)

    page = preview.content.decode()
    assert preview.context["preview"].recipients == 2
    assert "2 people will get this message" in page and "1 by SMS, 1 by e-mail" in page
    assert "Автобус о 06:00 від посольства." in page
    token = re.search(r'name="token" value="(\w+)"', page).group(1)
    assert not N.objects.filter(kind=N.Kind.BROADCAST).exists()

    for _ in range(2):  # a double click
        response = client.post(_url(operation), {**form, "confirm": "1", "token": token})
        assert response.status_code == 302

    broadcasts = N.objects.filter(kind=N.Kind.BROADCAST)
    assert {n.citizen for n in broadcasts} == {olena, john}
    assert all(n.created_by == bob for n in broadcasts)


def test_a_broadcast_to_a_city_reaches_everyone_waiting_there(
    client, alice, operation, almaty, nur_sultan, olena, john, flight
):
    booking_create(flight=flight, citizen=john, by=None)
    make_citizen(operation, nur_sultan, phone="+77010000078")
    client.force_login(alice)
    form = {"audience": "city", "city": almaty.pk, "text": "Stay indoors tonight."}

    preview = client.post(_url(operation), form).context["preview"]
    client.post(_url(operation), {**form, "confirm": "1", "token": "abc123"})

    assert preview.recipients == 1
    assert [n.citizen for n in N.objects.filter(kind=N.Kind.BROADCAST)] == [olena]


def test_the_form_asks_for_the_flight_when_sending_to_a_flight(client, bob, operation):
    client.force_login(bob)

    response = client.post(_url(operation), {"audience": "flight", "text": "Hello"})

    assert "Choose the flight." in response.content.decode()
    assert response.context["preview"] is None


def test_a_viewer_cannot_broadcast(client, carol, operation):
    client.force_login(carol)

    assert client.get(_url(operation)).status_code == 403

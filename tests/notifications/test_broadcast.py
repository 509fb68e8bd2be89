"""A broadcast is previewed with its count and text, then sent once on confirmation."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.services import booking_create
from evac.notifications.broadcasts import (
    BroadcastAlreadySent,
    broadcast_preview,
    broadcast_send,
)
from evac.notifications.models import Notification
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db
N = Notification


def _url(operation):
    return reverse("notifications:broadcast", args=[operation.slug])


def test_the_preview_counts_the_passengers_and_shows_the_text_then_confirm_sends_once(
    client, bob, flight, olena, john, operation, almaty
):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    booking_create(flight=flight, citizen=john, by=EVAC)
    make_citizen(operation, almaty, phone="+77010000077")  # waiting, not on the flight
    client.force_login(bob)
    form = {"audience": "flight", "flight": flight.pk, "text": "Автобус о 06:00 від посольства."}

    preview = client.post(_url(operation), form)

    page = preview.content.decode()
    assert preview.context["preview"].count == 2
    assert "2 people will get this message" in page and "1 by SMS, 1 by e-mail" in page
    assert "Автобус о 06:00 від посольства." in page
    token = re.search(r'name="token" value="(\w+)"', page).group(1)
    assert not N.objects.filter(kind=N.Kind.BROADCAST).exists()

    first = client.post(_url(operation), {**form, "confirm": "1", "token": token}, follow=True)
    again = client.post(_url(operation), {**form, "confirm": "1", "token": token}, follow=True)

    assert "2 messages are on their way." in first.content.decode()
    said = again.content.decode()
    assert "This broadcast was already sent at" in said and "Nothing was sent again." in said
    assert "on their way" not in said
    broadcasts = N.objects.filter(kind=N.Kind.BROADCAST)
    assert {n.citizen for n in broadcasts} == {olena, john}
    assert all(n.created_by == bob for n in broadcasts)


def test_the_preview_counts_exactly_the_messages_that_are_sent(
    alice, operation, almaty, olena, john
):
    """People with no phone and no e-mail are listed to be called, not counted as sent."""
    silent = make_citizen(operation, almaty)
    texts = {"*": "Stay indoors tonight."}

    preview = broadcast_preview(operation=operation, by=alice, texts=texts, city=almaty)
    sent = broadcast_send(operation=operation, by=alice, texts=texts, token="t", city=almaty)

    assert preview.count == sent.messages == N.objects.filter(kind=N.Kind.BROADCAST).count() == 2
    assert preview.without_contact == [silent]
    assert (preview.by_sms, preview.by_email) == (1, 1)


def test_a_text_per_language_goes_to_each_reader_in_their_language(
    alice, operation, almaty, olena, john
):
    texts = {"uk": "Автобус о 06:00.", "en": "The bus leaves at 06:00."}

    preview = broadcast_preview(operation=operation, by=alice, texts=texts, city=almaty)
    broadcast_send(operation=operation, by=alice, texts=texts, token="t", city=almaty)

    assert {(r.citizen, r.channel, r.language) for r in preview.recipients} == {
        (olena, "sms", "uk"),
        (john, "email", "en"),
    }
    assert [(s.language, s.readers, s.body) for s in preview.samples] == [
        ("en", 1, "The bus leaves at 06:00."),
        ("uk", 1, "Автобус о 06:00."),
    ]
    assert N.objects.get(citizen=olena).body == "Автобус о 06:00."
    assert N.objects.get(citizen=john).body == "The bus leaves at 06:00."


def test_a_language_the_audience_reads_without_a_text_is_refused_by_name(
    alice, operation, almaty, olena, john
):
    with pytest.raises(ValidationError) as refused:
        broadcast_preview(
            operation=operation, by=alice, texts={"uk": "Автобус о 06:00."}, city=almaty
        )

    assert "English (1 person)" in str(refused.value)
    assert not N.objects.exists()


def test_one_text_for_all_and_texts_per_language_at_once_are_refused(
    alice, operation, almaty, olena
):
    with pytest.raises(ValidationError) as refused:
        broadcast_preview(
            operation=operation,
            by=alice,
            texts={"*": "Stay in.", "uk": "Будьте вдома."},
            city=almaty,
        )

    assert "either one text for everyone or a text per language" in str(refused.value)


def test_the_preview_page_shows_each_persons_channel_and_language(
    client, bob, operation, almaty, olena, john
):
    client.force_login(bob)
    form = {
        "audience": "city",
        "city": almaty.pk,
        "text_uk": "Будьте вдома.",
        "text_en": "Stay in.",
    }

    page = client.post(_url(operation), form).content.decode()

    rows = re.findall(
        r"<tr><td>([^<]+)</td><td>[^<]+</td><td>([^<]+)</td><td>([^<]+)</td></tr>", page
    )
    assert sorted(rows) == sorted(
        [(str(olena), "SMS", "Українська"), (str(john), "E-mail", "English")]
    )


def test_the_flight_list_shows_each_flights_date(client, bob, operation, flight):
    client.force_login(bob)

    page = client.get(_url(operation)).content.decode()

    # 08:20 UTC on 13 January 2030 is 13:20 in Nur-Sultan.
    assert f"{flight.number} NQZ→KBP · 13 Jan 2030 13:20" in page


def test_a_broadcast_to_a_city_reaches_everyone_waiting_there(
    client, alice, operation, almaty, nur_sultan, olena, john, flight
):
    booking_create(flight=flight, citizen=john, by=EVAC)
    make_citizen(operation, nur_sultan, phone="+77010000078")
    client.force_login(alice)
    form = {"audience": "city", "city": almaty.pk, "text": "Stay indoors tonight."}

    preview = client.post(_url(operation), form).context["preview"]
    client.post(_url(operation), {**form, "confirm": "1", "token": "abc123"})

    assert preview.count == 1
    assert [n.citizen for n in N.objects.filter(kind=N.Kind.BROADCAST)] == [olena]


def test_the_form_asks_for_the_flight_when_sending_to_a_flight(client, bob, operation):
    client.force_login(bob)

    response = client.post(_url(operation), {"audience": "flight", "text": "Hello"})

    assert "Choose the flight." in response.content.decode()
    assert response.context["preview"] is None


def test_a_viewer_cannot_broadcast(client, carol, operation):
    client.force_login(carol)

    assert client.get(_url(operation)).status_code == 403


def test_a_token_is_the_operations_own_and_is_looked_up_only_there(
    alice, dave, operation, other_operation, almaty, olena
):
    make_citizen(other_operation, almaty, phone="+77019990000")
    theirs = broadcast_send(
        operation=other_operation, by=dave, texts={"*": "Theirs."}, token="t", city=almaty
    )

    ours = broadcast_send(
        operation=operation, by=alice, texts={"*": "Ours."}, token="t", city=almaty
    )

    assert ours.operation == operation and ours.pk != theirs.pk
    assert N.objects.get(kind=N.Kind.BROADCAST, operation=operation).citizen == olena
    with pytest.raises(BroadcastAlreadySent) as refused:
        broadcast_send(operation=operation, by=alice, texts={"*": "Ours."}, token="t", city=almaty)
    assert refused.value.broadcast == ours

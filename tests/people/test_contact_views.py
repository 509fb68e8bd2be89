"""Logging a call, message or visit from a person's page in two clicks."""

import re

import pytest
from django.urls import reverse

from evac.people.models import ContactLogEntry
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def contact_url(operation, citizen) -> str:
    return reverse("people:contact", args=[operation.slug, citizen.reference_code])


def test_phone_call_reached_is_logged_and_moves_last_contact(client, bob, operation, almaty):
    olena = make_citizen(operation, almaty)
    assert olena.last_contacted_at is None
    client.force_login(bob)

    # What the quick form sends: the channel picked, the default direction, the outcome pressed.
    response = client.post(
        contact_url(operation, olena),
        {"channel": "phone", "direction": "outbound", "note": "", "outcome": "reached"},
    )

    entry = olena.contacts.get()
    assert (entry.channel, entry.direction, entry.outcome, entry.by) == (
        "phone",
        "outbound",
        "reached",
        bob,
    )
    olena.refresh_from_db()
    assert olena.last_contacted_at == entry.at
    detail = reverse("people:detail", args=[operation.slug, olena.reference_code])
    assert response.url == f"{detail}#contacts"


def test_no_answer_is_logged_but_is_not_hearing_from_them(client, bob, operation, almaty):
    olena = make_citizen(operation, almaty)
    client.force_login(bob)

    client.post(
        contact_url(operation, olena),
        {"channel": "sms", "direction": "outbound", "outcome": "no_answer", "note": "no reply"},
    )

    assert olena.contacts.get().note == "no reply"
    olena.refresh_from_db()
    assert olena.last_contacted_at is None


def test_the_quick_form_offers_every_channel_and_outcome_with_the_preferred_channel_picked(
    client, bob, operation, almaty
):
    olena = make_citizen(operation, almaty, preferred_channel="phone")
    client.force_login(bob)

    content = client.get(
        reverse("people:detail", args=[operation.slug, olena.reference_code])
    ).content.decode()

    checked = re.findall(r'name="channel" value="(\w+)"[^>]*checked', content)
    assert checked == ["phone"]
    assert 'value="outbound"' in content
    for outcome in ContactLogEntry.Outcome.values:
        assert f'<button type="submit" name="outcome" value="{outcome}"' in content


def test_an_incomplete_entry_is_refused_and_nothing_is_logged(client, bob, operation, almaty):
    olena = make_citizen(operation, almaty)
    client.force_login(bob)

    response = client.post(contact_url(operation, olena), {"outcome": "reached"})

    assert response.status_code == 200
    assert "channel" in response.context["contact_form"].errors
    assert not olena.contacts.exists()


def test_contacts_are_logged_by_post_only(client, bob, operation, almaty):
    olena = make_citizen(operation, almaty)
    client.force_login(bob)

    assert client.get(contact_url(operation, olena)).status_code == 405

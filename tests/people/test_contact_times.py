"""A contact is dated when it happened: never in the future, so one typo (8999) can't
stick a person's "last heard from" in the future for good."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from evac.core import clock
from evac.people.models import ContactLogEntry
from evac.people.services import contact_log_add
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

CALL = {"channel": "phone", "direction": "inbound", "outcome": "reached"}


def test_the_service_refuses_a_contact_in_the_future_naming_the_field(operation, almaty, bob):
    olena = make_citizen(operation, almaty)

    with pytest.raises(ValidationError) as refused:
        contact_log_add(citizen=olena, by=bob, at=datetime(8999, 1, 1, tzinfo=UTC), **CALL)

    assert "future" in refused.value.message_dict["at"][0]
    olena.refresh_from_db()
    assert olena.last_contacted_at is None and not ContactLogEntry.objects.exists()


def test_a_contact_a_moment_ago_or_long_ago_is_taken(operation, almaty, bob):
    olena = make_citizen(operation, almaty)
    earlier = clock.now() - timedelta(days=400)

    contact_log_add(citizen=olena, by=bob, at=earlier, **CALL)
    contact_log_add(citizen=olena, by=bob, **CALL)

    assert olena.contacts.count() == 2
    assert olena.last_contacted_at <= clock.now()


def test_a_clock_a_little_ahead_is_forgiven(operation, almaty, bob):
    # A phone or a hotline tool whose clock runs a minute fast is not refused.
    olena = make_citizen(operation, almaty)

    contact_log_add(citizen=olena, by=bob, at=clock.now() + timedelta(minutes=1), **CALL)

    assert olena.contacts.count() == 1


@pytest.mark.parametrize("at", ["8999-01-01T00:00:00Z", "2099-01-08T10:15:00+06:00"])
def test_the_api_answers_a_future_contact_with_a_400_on_the_field(operation, almaty, bob, at):
    olena = make_citizen(operation, almaty)

    response = token_client(bob).post(
        op_url(operation, f"citizens/{olena.reference}/contacts/"), {**CALL, "at": at}, "json"
    )

    assert response.status_code == 400
    assert "future" in error_of(response)["fields"]["at"][0]
    olena.refresh_from_db()
    assert olena.last_contacted_at is None

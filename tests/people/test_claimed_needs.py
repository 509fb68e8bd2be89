"""Needs a person states on the portal are claims: staff see them, confirm them, then they count."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evac.core.clock import now
from evac.flights.selectors import waiting_units
from evac.flights.templatetags.flight_tags import needs
from evac.people.models import Citizen
from evac.people.services import citizen_confirm_needs
from tests.api.client import op_url, session_client
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(operation, almaty):
    """Someone with no special need, registered by staff a day earlier."""
    early = make_citizen(operation, almaty, surname="Early")
    Citizen.objects.filter(pk=early.pk).update(registered_at=now() - timedelta(days=1))
    return early


@pytest.fixture
def claimant(operation, almaty):
    return make_citizen(
        operation,
        almaty,
        surname="Claimant",
        pregnant=True,
        medical_need=True,
        source=Citizen.Source.SELF_REGISTRATION,
    )


def first_in_line(operation) -> Citizen:
    return waiting_units(operation, limit=1)[0].members[0]


def test_a_need_claimed_on_the_portal_does_not_move_the_person_up(operation, earlier, claimant):
    assert claimant.needs_claimed
    assert first_in_line(operation) == earlier


def test_the_same_need_entered_by_staff_counts_at_once(operation, almaty, earlier):
    staff_entered = make_citizen(operation, almaty, pregnant=True)
    assert not staff_entered.needs_claimed
    assert first_in_line(operation) == staff_entered


def test_an_officer_confirms_a_claim_from_the_person_page(
    client, operation, bob, earlier, claimant
):
    client.force_login(bob)
    page = client.get(reverse("people:detail", args=[operation.slug, claimant.reference_code]))
    assert "claimed" in page.content.decode()
    assert "Confirm the needs" in page.content.decode()

    url = reverse("people:confirm_needs", args=[operation.slug, claimant.reference_code])
    assert client.post(url).status_code == 302

    claimant.refresh_from_db()
    assert not claimant.needs_claimed
    assert first_in_line(operation) == claimant
    assert claimant.history.first().history_user == bob


def test_a_viewer_sees_the_claim_but_cannot_confirm_it(client, operation, carol, claimant):
    client.force_login(carol)
    page = client.get(reverse("people:detail", args=[operation.slug, claimant.reference_code]))
    assert "claimed" in page.content.decode()
    assert "Confirm the needs" not in page.content.decode()
    url = reverse("people:confirm_needs", args=[operation.slug, claimant.reference_code])
    assert client.post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        citizen_confirm_needs(citizen=claimant, by=carol)
    claimant.refresh_from_db()
    assert claimant.needs_claimed


def test_another_operations_member_cannot_confirm_it(client, operation, dave, claimant):
    client.force_login(dave)
    url = reverse("people:confirm_needs", args=[operation.slug, claimant.reference_code])
    assert client.post(url).status_code == 404
    claimant.refresh_from_db()
    assert claimant.needs_claimed


def test_the_manifest_words_say_claimed(operation, claimant):
    assert "pregnancy (claimed)" in needs(claimant)


def test_the_api_says_a_need_is_claimed(operation, carol, claimant):
    answer = session_client(carol).get(op_url(operation, f"citizens/{claimant.reference_code}/"))
    assert answer.json()["needs_claimed"] is True

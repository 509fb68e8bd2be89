"""A member's second step protects their account in every operation they work in, so only
someone who coordinates all of those (or an administrator) may reset it. A viewer's role
elsewhere does not count: a viewer need not have a second step. Every reset is logged, and so
is every refusal."""

import logging

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from evac.accounts.models import BackupCodeDevice
from evac.accounts.services import backup_codes_renew, staff_reset_two_factor
from evac.operations.models import Headquarters, Membership, Role
from evac.operations.services import member_add
from tests import factories
from tests.logins import authenticator_for

pytestmark = pytest.mark.django_db

REFUSAL = "coordinator of every operation"


@pytest.fixture
def bob_with_a_second_step(bob):
    authenticator_for(bob)
    backup_codes_renew(bob)
    return bob


def _has_second_step(user) -> bool:
    return (
        TOTPDevice.objects.filter(user=user).exists()
        and BackupCodeDevice.objects.filter(user=user).exists()
    )


def _reset_on_the_page(client, operation, by, member):
    client.force_login(by)
    url = reverse(
        "staff:reset_two_factor",
        kwargs={
            "op": operation.slug,
            "membership_id": member.memberships.get(operation=operation).pk,
        },
    )
    return client.post(url)


def test_a_coordinator_of_one_operation_cant_reset_an_officer_of_another_too(
    client, operation, other_operation, alice, bob_with_a_second_step, caplog
):
    bob = bob_with_a_second_step
    Membership.objects.create(user=bob, operation=other_operation, role=Role.OFFICER)
    caplog.set_level(logging.INFO, logger="evac.accounts.services")

    response = _reset_on_the_page(client, operation, alice, bob)

    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(said) == 1 and REFUSAL in said[0]
    assert other_operation.name not in said[0]  # the other operation is not named
    assert _has_second_step(bob)
    assert any(
        r.levelno == logging.WARNING and "refused" in r.getMessage() and "bob" in r.getMessage()
        for r in caplog.records
    )


def test_the_service_refuses_it_whatever_door_calls_it(
    operation, other_operation, alice, bob_with_a_second_step
):
    bob = bob_with_a_second_step
    Membership.objects.create(user=bob, operation=other_operation, role=Role.COORDINATOR)

    with pytest.raises(PermissionDenied):
        staff_reset_two_factor(by=alice, membership=bob.memberships.get(operation=operation))

    assert _has_second_step(bob)


def test_a_viewers_role_elsewhere_does_not_stand_in_the_way(
    client, operation, other_operation, alice, bob_with_a_second_step, caplog
):
    bob = bob_with_a_second_step
    Membership.objects.create(user=bob, operation=other_operation, role=Role.VIEWER)
    caplog.set_level(logging.INFO, logger="evac.accounts.services")

    _reset_on_the_page(client, operation, alice, bob)

    assert not _has_second_step(bob)
    assert f"alice reset the second step of bob (operation {operation.slug})" in caplog.messages


def test_a_coordinator_of_every_operation_the_member_works_in_may_reset_it(
    client, operation, other_operation, alice, bob_with_a_second_step
):
    bob = bob_with_a_second_step
    Membership.objects.create(user=bob, operation=other_operation, role=Role.OFFICER)
    Membership.objects.create(user=alice, operation=other_operation, role=Role.COORDINATOR)

    _reset_on_the_page(client, operation, alice, bob)

    assert not _has_second_step(bob)


def test_an_administrator_may_reset_it_and_it_is_logged(
    operation, other_operation, bob_with_a_second_step, caplog
):
    bob = bob_with_a_second_step
    Membership.objects.create(user=bob, operation=other_operation, role=Role.OFFICER)
    admin = factories.User.objects.create_superuser("root", password="x")
    caplog.set_level(logging.INFO, logger="evac.accounts.services")

    staff_reset_two_factor(by=admin, membership=bob.memberships.get(operation=operation))

    assert not _has_second_step(bob)
    assert f"root reset the second step of bob (operation {operation.slug})" in caplog.messages


def test_the_staff_page_offers_the_reset_only_where_it_would_be_accepted(
    client, operation, other_operation, alice, bob_with_a_second_step, carol
):
    bob = bob_with_a_second_step
    authenticator_for(carol)  # a viewer here, and an officer nowhere else: alice may reset
    Membership.objects.create(user=bob, operation=other_operation, role=Role.OFFICER)
    client.force_login(alice)

    page = client.get(reverse("staff:list", kwargs={"op": operation.slug}))

    offered = {m.membership.user: m.may_reset_second_step for m in page.context["staff"]}
    assert offered[bob] is False and offered[carol] is True
    content = page.content.decode()
    bobs = bob.memberships.get(operation=operation).pk
    assert f"/staff/{bobs}/reset-two-factor/" not in content


def test_a_coordinator_who_adds_a_headquarters_member_cant_reset_their_second_step(
    operation, alice
):
    # Headquarters' second step guards every operation: a coordinator of one, who may add
    # any account to it by its username, must not be able to strip it.
    chief = User.objects.create_user("chief", password="Astana-HQ-2022!")
    Headquarters.objects.create(user=chief)
    authenticator_for(chief)
    backup_codes_renew(chief)
    membership, _created = member_add(
        operation=operation, username="chief", role=Role.VIEWER, by=alice
    )

    with pytest.raises(PermissionDenied):
        staff_reset_two_factor(by=alice, membership=membership)

    assert _has_second_step(chief)

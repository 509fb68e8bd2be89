"""Coordinators bring people into their operation, change their roles and take them out, on
the Staff page and through one set of services; the operation always keeps a coordinator and
every change is in the membership's history and the application log."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evac.core.actor import EVAC
from evac.core.errors import Conflict
from evac.operations.models import Membership, Role
from evac.operations.services import member_add, member_remove, member_set_role

pytestmark = pytest.mark.django_db
User = get_user_model()


def _staff_url(operation, name: str = "list", **kwargs) -> str:
    return reverse(f"staff:{name}", kwargs={"op": operation.slug, **kwargs})


def test_a_coordinator_adds_a_new_person_who_has_no_password_yet(operation, alice, caplog):
    caplog.set_level(logging.INFO, "evac.operations.services")

    membership, created = member_add(
        operation=operation,
        username="erin",
        email="Erin@Example.org",
        first_name="Erin",
        role=Role.OFFICER,
        by=alice,
    )

    assert created
    assert membership.role == Role.OFFICER
    assert membership.user.email == "Erin@example.org"
    assert not membership.user.has_usable_password()
    assert "alice added erin (new account) to operation" in caplog.text
    entry = membership.history.get()
    assert (entry.history_type, entry.history_user, entry.role) == ("+", alice, Role.OFFICER)


def test_a_coordinator_adds_someone_who_already_has_an_account(
    operation, other_operation, alice, dave
):
    membership, created = member_add(
        operation=operation, username="dave", role=Role.VIEWER, by=alice
    )

    assert not created
    assert membership.user == dave
    assert set(dave.memberships.values_list("operation", "role")) == {
        (operation.pk, Role.VIEWER),
        (other_operation.pk, Role.COORDINATOR),
    }


def test_a_member_is_not_added_twice(operation, alice, bob):
    with pytest.raises(Conflict):
        member_add(operation=operation, username="bob", role=Role.COORDINATOR, by=alice)

    assert bob.memberships.get().role == Role.OFFICER


def test_an_officer_adds_nobody_and_a_coordinator_only_to_their_own_operation(
    operation, other_operation, bob, dave
):
    with pytest.raises(PermissionDenied):
        member_add(operation=operation, username="erin", role=Role.OFFICER, by=bob)
    with pytest.raises(PermissionDenied):
        member_add(operation=operation, username="erin", role=Role.OFFICER, by=dave)

    assert not User.objects.filter(username="erin").exists()


def test_roles_change_and_the_history_says_who_changed_them(operation, alice, bob, caplog):
    caplog.set_level(logging.INFO, "evac.operations.services")
    membership = bob.memberships.get()

    member_set_role(membership=membership, role=Role.COORDINATOR, by=alice)

    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR
    latest = membership.history.first()
    assert (latest.history_type, latest.history_user, latest.role) == ("~", alice, "coordinator")
    assert "alice changed the role of bob in operation" in caplog.text


def test_the_last_coordinator_can_be_neither_demoted_nor_removed(operation, alice, bob):
    own = alice.memberships.get()

    with pytest.raises(Conflict):
        member_set_role(membership=own, role=Role.VIEWER, by=alice)
    with pytest.raises(Conflict):
        member_remove(membership=own, by=alice)

    own.refresh_from_db()
    assert own.role == Role.COORDINATOR


def test_with_a_second_coordinator_one_may_step_down(operation, alice, bob):
    member_set_role(membership=bob.memberships.get(), role=Role.COORDINATOR, by=alice)

    member_set_role(membership=alice.memberships.get(), role=Role.OFFICER, by=alice)

    assert alice.memberships.get().role == Role.OFFICER


def test_a_removed_member_loses_the_operation_and_the_removal_is_recorded(
    client, operation, alice, bob, caplog
):
    caplog.set_level(logging.INFO, "evac.operations.services")
    membership = bob.memberships.get()
    membership_id = membership.pk

    member_remove(membership=membership, by=alice)

    client.force_login(bob)
    dashboard = reverse("operations:dashboard", kwargs={"op": operation.slug})
    assert client.get(dashboard).status_code == 404
    removal = Membership.history.filter(id=membership_id).first()
    assert (removal.history_type, removal.history_user) == ("-", alice)
    assert "alice removed bob from operation" in caplog.text


def test_the_staff_page_adds_changes_and_removes_members(client, operation, alice, bob, carol):
    client.force_login(alice)

    added = client.post(
        _staff_url(operation, "add"),
        {"username": "erin", "role": Role.OFFICER, "email": "erin@example.org"},
    )
    changed = client.post(
        _staff_url(operation, "set_role", membership_id=carol.memberships.get().pk),
        {"role": Role.OFFICER},
    )
    removed = client.post(_staff_url(operation, "remove", membership_id=bob.memberships.get().pk))

    assert [r.status_code for r in (added, changed, removed)] == [302, 302, 302]
    assert set(operation.memberships.values_list("user__username", "role")) == {
        ("alice", Role.COORDINATOR),
        ("carol", Role.OFFICER),
        ("erin", Role.OFFICER),
    }
    page = client.get(_staff_url(operation)).content.decode()
    assert "erin" in page and "Add a member" in page


def test_the_staff_page_says_why_the_last_coordinator_stays(client, operation, alice):
    client.force_login(alice)

    response = client.post(
        _staff_url(operation, "remove", membership_id=alice.memberships.get().pk), follow=True
    )

    assert "always has a coordinator" in response.content.decode()
    assert alice.memberships.get().role == Role.COORDINATOR


def test_a_bad_username_is_shown_beside_the_field(client, operation, alice):
    client.force_login(alice)

    response = client.post(
        _staff_url(operation, "add"), {"username": "no spaces allowed!", "role": Role.VIEWER}
    )

    assert response.status_code == 400
    assert not User.objects.filter(username="no spaces allowed!").exists()


def test_an_officer_may_not_add_members_on_the_page(client, operation, bob):
    client.force_login(bob)

    response = client.post(
        _staff_url(operation, "add"),
        {"username": "erin", "role": "viewer", "email": "erin@mfa.example"},
    )

    assert response.status_code == 403
    assert not User.objects.filter(username="erin").exists()


def test_a_coordinator_of_another_operation_may_not_add_members_to_ours(client, operation, dave):
    client.force_login(dave)

    response = client.post(
        _staff_url(operation, "add"),
        {"username": "erin", "role": "viewer", "email": "erin@mfa.example"},
    )

    assert response.status_code == 404
    assert not User.objects.filter(username="erin").exists()


def test_evac_itself_changing_a_role_is_logged_as_evac(operation, alice, bob, caplog):
    caplog.set_level(logging.INFO, "evac.operations.services")
    membership = Membership.objects.get(operation=operation, user=bob)

    member_set_role(membership=membership, role=Role.VIEWER, by=EVAC)

    assert f"Evac changed the role of bob in operation {operation.slug}" in caplog.text

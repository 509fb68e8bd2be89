"""Members through the API: the same services, rules and refusals as the Staff page."""

import pytest
from django.contrib.auth import get_user_model

from evac.operations.models import Membership, Role
from tests.api.client import error_of, op_url, token_client

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_a_coordinator_lists_adds_changes_and_removes_members(operation, alice, bob, carol):
    client = token_client(alice)

    added = client.post(
        op_url(operation, "members/"),
        {"username": "erin", "role": "officer", "email": "erin@example.org"},
        format="json",
    )
    erin_id = added.json()["id"]
    changed = client.patch(
        op_url(operation, f"members/{erin_id}/"), {"role": "coordinator"}, format="json"
    )
    removed = client.delete(op_url(operation, f"members/{carol.memberships.get().pk}/"))
    listed = client.get(op_url(operation, "members/"))

    assert added.status_code == 201
    assert added.json()["new_account"] is True
    assert changed.json()["role"] == "coordinator"
    assert removed.status_code == 204
    assert [(m["username"], m["role"]) for m in listed.json()] == [
        ("alice", "coordinator"),
        ("erin", "coordinator"),
        ("bob", "officer"),
    ]
    assert not User.objects.get(username="erin").has_usable_password()


def test_the_last_coordinator_stays_with_a_409(operation, alice):
    own = alice.memberships.get()
    client = token_client(alice)

    demoted = client.patch(
        op_url(operation, f"members/{own.pk}/"), {"role": "viewer"}, format="json"
    )
    removed = client.delete(op_url(operation, f"members/{own.pk}/"))

    assert (demoted.status_code, removed.status_code) == (409, 409)
    assert "always has a coordinator" in error_of(removed)["message"]
    assert Membership.objects.get(pk=own.pk).role == Role.COORDINATOR


def test_adding_a_member_twice_is_a_409(operation, alice, bob):
    response = token_client(alice).post(
        op_url(operation, "members/"), {"username": "bob", "role": "viewer"}, format="json"
    )

    assert response.status_code == 409
    assert bob.memberships.get().role == Role.OFFICER


def test_a_bad_role_or_username_is_a_400_on_the_field(operation, alice):
    client = token_client(alice)

    bad_role = client.post(
        op_url(operation, "members/"), {"username": "erin", "role": "admin"}, format="json"
    )
    bad_name = client.post(
        op_url(operation, "members/"), {"username": "no spaces!", "role": "viewer"}, format="json"
    )

    assert list(error_of(bad_role)["fields"]) == ["role"]
    assert list(error_of(bad_name)["fields"]) == ["username"]
    assert not User.objects.filter(username__in=["erin", "no spaces!"]).exists()


def test_an_officer_adds_nobody_and_another_coordinator_finds_nothing(operation, bob, dave):
    body = {"username": "erin", "role": "coordinator", "email": "erin@mfa.example"}

    officer = token_client(bob).post(op_url(operation, "members/"), body, format="json")
    outsider = token_client(dave).post(op_url(operation, "members/"), body, format="json")

    assert (officer.status_code, outsider.status_code) == (403, 404)
    assert not User.objects.filter(username="erin").exists()


def test_a_member_of_another_operation_is_not_found_under_ours(
    operation, other_operation, alice, dave
):
    theirs = dave.memberships.get()

    response = token_client(alice).delete(op_url(operation, f"members/{theirs.pk}/"))

    assert response.status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_a_role_change_takes_the_role_and_nothing_else_as_its_schema_says(operation, alice, carol):
    member = carol.memberships.get()
    client = token_client(alice)

    extra = client.patch(
        op_url(operation, f"members/{member.pk}/"),
        {"role": "coordinator", "error": {"fields": {}}},
        format="json",
    )
    schema = client.get("/api/schema/?format=json").json()
    body = schema["paths"]["/api/v1/operations/{op}/members/{id}/"]["patch"]["requestBody"]

    assert extra.status_code == 400
    assert set(error_of(extra)["fields"]) == {"error"}
    member.refresh_from_db()
    assert member.role == Role.VIEWER
    assert body["content"]["application/json"]["schema"]["additionalProperties"] is False

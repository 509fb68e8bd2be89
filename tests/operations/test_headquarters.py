"""Headquarters, above every operation: open an operation from a page and the API, see all
of them with their headline numbers, close one; nobody else may, and they log in with the
second step."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from evac.flights.closing import operation_close
from evac.operations.access import operation_access, role_in
from evac.operations.models import Headquarters, Membership, Operation, Role
from evac.people.selectors import phone_regions
from tests.factories import make_citizen
from tests.logins import pass_second_factor

pytestmark = pytest.mark.django_db

NEW = {
    "country": "KG",
    "name": "Kyrgyzstan, October 2026",
    "slug": "kg-2026",
    "starts_on": "2026-10-05",
    "hotline_phone": "+996 312 000 000",
    "hotline_email": "consul@mfa.example",
    "advice": "Stay where you are and keep your phone on.",
    "embassy_contact_name": "EMBASSY OF UKRAINE BISHKEK",
    "embassy_contact_phone": "+996312000001",
}


@pytest.fixture
def hanna(db):
    """At headquarters: a member of no operation."""
    user = User.objects.create_user("hanna", password="x")
    Headquarters.objects.create(user=user)
    return user


def test_headquarters_open_an_operation_on_a_page(client, hanna):
    client.force_login(hanna)
    assert client.get("/staff/operations/new/").status_code == 200
    data = {**NEW, "languages": ["uk", "ru"], "phone_regions": "UA, KZ"}
    response = client.post("/staff/operations/new/", data)

    assert response.status_code == 302
    assert response["Location"] == "/ops/kg-2026/staff/"
    operation = Operation.objects.get(slug="kg-2026")
    assert operation.country.code == "KG" and operation.starts_on == date(2026, 10, 5)
    assert operation.embassy_contact_name == "EMBASSY OF UKRAINE BISHKEK"
    assert operation.languages == ["uk", "ru"] and operation.phone_regions == ["UA", "KZ"]
    assert phone_regions(operation)[:3] == ("KG", "UA", "KZ")
    # Headquarters reach the new operation's Staff page to add its coordinator.
    assert client.get(response["Location"]).status_code == 200


def test_a_bad_form_keeps_what_was_typed(client, hanna, operation):
    client.force_login(hanna)
    response = client.post(
        "/staff/operations/new/", {**NEW, "slug": operation.slug, "phone_regions": "XX"}
    )
    assert response.status_code == 400
    assert "EMBASSY OF UKRAINE BISHKEK" in response.content.decode()
    assert not Operation.objects.filter(name=NEW["name"]).exists()


def test_headquarters_open_an_operation_through_the_api(client, hanna):
    client.force_login(hanna)
    body = {**NEW, "languages": ["uk"], "phone_regions": ["UA"]}
    response = client.post("/api/v1/operations/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "kg-2026" and response.json()["role"] == "coordinator"
    assert response.json()["phone_regions"] == ["UA"]
    bad = client.post(
        "/api/v1/operations/", {**NEW, "country": "ZZ"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "country" in bad.json()["error"]["fields"]


def test_nobody_else_opens_an_operation(client, alice, bob, carol):
    for who in (alice, bob, carol):
        client.force_login(who)
        assert client.get("/staff/operations/new/").status_code == 403
        assert client.post("/staff/operations/new/", NEW).status_code == 403
        api = client.post("/api/v1/operations/", NEW, content_type="application/json")
        assert api.status_code == 403
    assert not Operation.objects.filter(slug="kg-2026").exists()


def test_headquarters_see_every_operation_with_its_numbers(
    client, hanna, operation, other_operation, almaty
):
    make_citizen(operation, almaty)
    client.force_login(hanna)
    page = client.get("/staff/")
    assert page.status_code == 200  # not sent into one operation: the view of all of them
    text = page.content.decode()
    assert operation.name in text and other_operation.name in text
    assert page.context["overviews"][0].registered + page.context["overviews"][1].registered == 1
    listed = client.get("/api/v1/operations/").json()["results"]
    assert {o["slug"] for o in listed} == {operation.slug, other_operation.slug}


def test_headquarters_close_an_operation(hanna, operation):
    closed = operation_close(operation=operation, by=hanna)
    assert closed.status == Operation.Status.CLOSED


def test_a_coordinator_sees_only_their_own_operation(client, alice, operation, other_operation):
    client.force_login(alice)
    assert client.get("/staff/")["Location"] == f"/ops/{operation.slug}/"
    assert client.get(f"/ops/{other_operation.slug}/").status_code == 404


def test_headquarters_log_in_with_the_second_step(client, hanna):
    client.force_login_password_only(hanna)
    response = client.get("/staff/operations/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/setup/")


def test_headquarters_who_are_also_a_plain_member_act_with_the_stronger_role(
    client, hanna, operation
):
    """Headquarters' powers apply wherever headquarters apply: being a viewer of one
    operation as well takes nothing away there."""
    Membership.objects.create(user=hanna, operation=operation, role=Role.VIEWER)

    assert role_in(hanna, operation) == Role.COORDINATOR
    access = operation_access(hanna, operation.slug)
    assert access.role == Role.COORDINATOR
    client.force_login(hanna)
    pass_second_factor(client, hanna)
    assert client.get(f"/ops/{operation.slug}/staff/").status_code == 200


def test_a_member_who_is_not_at_headquarters_keeps_their_own_role(bob, operation):
    assert role_in(bob, operation) == Role.OFFICER

"""A person's page: identity, household, bookings, contact log and change history."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.services import booking_create
from evac.people.models import Citizen, ContactLogEntry
from evac.people.services import citizen_update, contact_log_add, household_register
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def page(client, operation, citizen, code: str | None = None):
    code = code or citizen.reference_code
    return client.get(reverse("people:detail", args=[operation.slug, code]))


def test_the_page_shows_identity_document_contacts_and_needs(client, bob, operation, almaty):
    olena = make_citizen(
        operation,
        almaty,
        surname="Koval",
        given_names="Olena",
        surname_native="Коваль",
        document_number="FA123456",
        phone="+77012345678",
        temporary_address="Abay Ave 10",
        medical_need=True,
        medical_details="insulin",
    )
    client.force_login(bob)  # an officer: viewers don't read medical details (test_medical_by_role)

    content = page(client, operation, olena).content.decode()

    for shown in ("KOVAL Olena", "Коваль", olena.reference, "FA123456", "+7 701 234 5678"):
        assert shown in content
    assert "Abay Ave 10" in content and "insulin" in content and "Almaty" in content


def test_the_reference_code_in_the_url_may_be_typed_with_a_dash_in_any_case(
    client, carol, operation, almaty
):
    olena = make_citizen(operation, almaty)
    client.force_login(carol)

    response = page(client, operation, olena, code=olena.reference.lower())

    assert response.status_code == 200
    assert response.context["citizen"] == olena


def test_household_members_are_listed_with_links(client, carol, operation, almaty):
    family = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            _member(almaty, "Olena", "FA000001"),
            _member(almaty, "Petro", "FA000002"),
            _member(almaty, "Daryna", "FA000003"),
        ],
    )
    olena, petro, daryna = family.members.order_by("pk")
    client.force_login(carol)

    response = page(client, operation, petro)

    assert response.context["members"] == [olena, daryna]  # head first
    content = response.content.decode()
    for other in (olena, daryna):
        assert reverse("people:detail", args=[operation.slug, other.reference_code]) in content
    assert "head of household" in content


def test_bookings_show_flight_local_departure_and_seat_status(
    client, carol, alice, operation, almaty, flight
):
    olena = make_citizen(operation, almaty)
    booking_create(flight=flight, citizen=olena, by=alice)
    client.force_login(carol)

    response = page(client, operation, olena)

    assert response.context["seat"].flight == flight
    content = response.content.decode()
    assert flight.number in content
    local = flight.departs_local  # in Nur-Sultan's time zone, not UTC
    assert local.hour != flight.departs_at.hour
    assert f"13 Jan 2030 {local:%H:%M}" in content
    assert "holds this seat" in content


def test_the_contact_log_is_newest_first_and_says_who_logged_it(
    client, carol, bob, operation, almaty
):
    olena = make_citizen(operation, almaty)
    for hour, outcome in ((8, "no_answer"), (9, "reached")):
        contact_log_add(
            citizen=olena,
            channel=ContactLogEntry.Channel.PHONE,
            direction=ContactLogEntry.Direction.OUTBOUND,
            outcome=outcome,
            note=f"tried at {hour}",
            at=datetime(2022, 1, 9, hour, tzinfo=UTC),
            by=bob,
        )
    client.force_login(carol)

    response = page(client, operation, olena)

    assert [e.note for e in response.context["contacts"]] == ["tried at 9", "tried at 8"]
    content = response.content.decode()
    assert content.index("tried at 9") < content.index("tried at 8")
    assert "bob" in content


def test_the_change_history_says_who_changed_what(
    client, carol, bob, operation, almaty, nur_sultan
):
    olena = make_citizen(operation, almaty, temporary_address="Abay Ave 10")
    citizen_update(
        citizen=olena, by=bob, temporary_address="Kenesary St 4", current_city=nur_sultan
    )
    client.force_login(carol)

    response = page(client, operation, olena)

    latest, first = response.context["history"]
    assert latest.by == bob
    assert {(c.field, c.old, c.new) for c in latest.changes} == {
        ("temporary_address", "Abay Ave 10", "Kenesary St 4"),
        ("current_city", "Almaty", "Nur-Sultan"),
    }
    assert first.created and first.by is None
    content = response.content.decode()
    assert "Kenesary St 4" in content and "<del>Abay Ave 10</del>" in content


def test_a_viewer_sees_no_forms_or_actions(client, carol, operation, almaty):
    olena = make_citizen(operation, almaty)
    client.force_login(carol)

    content = page(client, operation, olena).content.decode()

    assert reverse("people:contact", args=[operation.slug, olena.reference_code]) not in content
    assert reverse("people:edit", args=[operation.slug, olena.reference_code]) not in content
    assert reverse("people:status", args=[operation.slug, olena.reference_code]) not in content


def test_a_coordinator_is_offered_only_the_allowed_status_changes(
    client, alice, operation, almaty, flight
):
    olena = make_citizen(operation, almaty)
    booking_create(flight=flight, citizen=olena, by=alice)
    client.force_login(alice)

    response = page(client, operation, olena)

    offered = [status for status, _label in response.context["status_actions"]]
    # Booked: not "waiting" (that is cancelling the seat), and never booked or evacuated.
    assert offered == ["decided_to_stay", "left_by_own_means", "unreachable"]
    assert "status/?status=decided_to_stay" in response.content.decode()


def _member(city, given_names: str, document_number: str) -> dict:
    return {
        "surname": "Koval",
        "given_names": given_names,
        "date_of_birth": datetime(1985, 3, 14).date(),
        "sex": Citizen.Sex.FEMALE,
        "nationality": "UA",
        "document_type": Citizen.DocumentType.PASSPORT,
        "document_number": document_number,
        "current_city": city,
    }

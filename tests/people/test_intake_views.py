"""Registering a household from a phone call or a walk-in."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from evac.people.models import Citizen
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

OLENA = {
    "surname": "Koval",
    "given_names": "Olena",
    "surname_native": "Коваль",
    "given_names_native": "Олена",
    "date_of_birth": "1985-03-14",
    "sex": "F",
    "nationality": "UA",
    "document_type": "passport",
    "document_number": "fa 123 456",
    "document_issuing_country": "",
    "document_expires_on": "2030-01-01",
    "phone": "+7 701 234 56 78",
    "email": "olena@example.org",
    "preferred_language": "uk",
    "preferred_channel": "sms",
    "notes": "Called from the hotel lobby",
}
PETRO = {
    **OLENA,
    "given_names": "Petro",
    "given_names_native": "Петро",
    "date_of_birth": "1983-07-01",
    "sex": "M",
    "document_number": "FA654321",
    "email": "",
    "notes": "",
}
DARYNA = {
    **OLENA,
    "given_names": "Daryna",
    "given_names_native": "Дарина",
    "date_of_birth": "2016-09-09",
    "document_type": "travel_document",
    "document_number": "TD000777",
    "phone": "",
    "email": "",
    "notes": "",
    "medical_need": "on",
    "medical_details": "Asthma; inhaler in hand luggage",
}


def intake(city, *people: dict, **extra) -> dict:
    data = {
        "members-TOTAL_FORMS": str(len(people)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "30",
        "current_city": str(city.pk),
        "temporary_address": "Hotel Kazakhstan, Abay Ave 52, room 1204",
    }
    for i, person in enumerate(people):
        data.update({f"members-{i}-{name}": value for name, value in person.items()})
    data.update(extra)
    return data


@pytest.fixture
def officer(client, bob):
    client.force_login(bob)
    return client


def new_url(operation) -> str:
    return reverse("people:new", args=[operation.slug])


def test_a_household_of_three_is_registered_with_the_first_as_head(officer, operation, almaty, bob):
    response = officer.post(new_url(operation), intake(almaty, OLENA, PETRO, DARYNA))

    people = list(operation.citizens.order_by("pk"))
    assert [p.given_names for p in people] == ["Olena", "Petro", "Daryna"]
    household = people[0].household
    assert household is not None and household.head == people[0]
    assert {p.household_id for p in people} == {household.pk}
    assert all(p.current_city == almaty and "room 1204" in p.temporary_address for p in people)
    assert all(p.source == Citizen.Source.STAFF_INTAKE for p in people)
    olena, daryna = people[0], people[2]
    assert olena.document_number == "FA123456"  # typed "fa 123 456"
    assert str(olena.document_issuing_country) == "UA"  # the nationality, left empty
    assert str(olena.phone) == "+77012345678"
    assert daryna.medical_need and "inhaler" in daryna.medical_details
    assert olena.history.latest().history_user == bob

    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[operation.slug, olena.reference_code])
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert all(p.reference in message for p in people)


def test_one_person_is_registered_without_a_household(officer, operation, almaty):
    response = officer.post(new_url(operation), intake(almaty, OLENA))

    olena = operation.citizens.get()
    assert olena.household is None
    assert response.url == reverse("people:detail", args=[operation.slug, olena.reference_code])


def test_a_further_person_left_empty_is_not_registered(officer, operation, almaty):
    # What the browser sends for a person shown but never filled in: the defaults.
    empty = {
        "nationality": "UA",
        "document_type": "passport",
        "preferred_language": "uk",
        "preferred_channel": "sms",
    }

    officer.post(new_url(operation), intake(almaty, OLENA, empty))

    assert operation.citizens.count() == 1


def test_a_person_can_be_left_out_before_registering(officer, operation, almaty):
    officer.post(new_url(operation), intake(almaty, OLENA, {**PETRO, "DELETE": "on"}))

    assert list(operation.citizens.values_list("given_names", flat=True)) == ["Olena"]


def test_an_error_keeps_everything_typed_and_names_the_field(officer, operation, almaty):
    wrong_petro = {**PETRO, "date_of_birth": "1983-13-45", "phone": "call me"}

    response = officer.post(new_url(operation), intake(almaty, OLENA, wrong_petro))

    assert response.status_code == 200
    assert not operation.citizens.exists()
    members = response.context["members"]
    assert members.forms[0].errors == {}
    assert set(members.forms[1].errors) == {"date_of_birth", "phone"}
    content = response.content.decode()
    assert 'id="id_members-1-date_of_birth_error"' in content
    assert 'value="call me"' in content  # the wrong value, to correct
    assert 'value="Коваль"' in content and "Called from the hotel lobby" in content
    assert "room 1204" in content


def test_missing_household_fields_and_document_rules_are_field_errors(officer, operation, almaty):
    no_number = {**OLENA, "document_number": ""}
    data = intake(almaty, no_number)
    data["current_city"] = ""

    response = officer.post(new_url(operation), data)

    assert "current_city" in response.context["household_form"].errors
    errors = response.context["members"].forms[0].errors
    assert "Give the document number" in errors["document_number"][0]


def test_a_likely_duplicate_is_shown_before_saving_and_can_be_registered_anyway(
    officer, operation, almaty
):
    same_passport = make_citizen(operation, almaty, surname="Kovalenko", document_number="FA123456")
    same_name_and_birthday = make_citizen(
        operation,
        almaty,
        surname="KOVAL",
        given_names="olena",
        date_of_birth=OLENA["date_of_birth"],
        document_number="ZZ999999",
    )

    warned = officer.post(new_url(operation), intake(almaty, OLENA))

    assert warned.status_code == 200
    assert operation.citizens.count() == 2
    content = warned.content.decode()
    assert "may already be registered" in content
    for match in (same_passport, same_name_and_birthday):
        assert reverse("people:detail", args=[operation.slug, match.reference_code]) in content
    assert "Called from the hotel lobby" in content and 'value="Коваль"' in content
    assert 'name="register_anyway"' in content

    registered = officer.post(new_url(operation), intake(almaty, OLENA, register_anyway="on"))

    assert registered.status_code == 302
    assert operation.citizens.count() == 3


def test_people_in_another_operation_are_not_duplicates(
    officer, operation, other_operation, almaty
):
    make_citizen(other_operation, almaty, document_number="FA123456")

    response = officer.post(new_url(operation), intake(almaty, OLENA))

    assert response.status_code == 302


def test_add_another_person_without_javascript_keeps_what_was_typed(officer, operation, almaty):
    half_typed = {"surname": "Koval", "given_names": "Olena", "nationality": "UA"}

    response = officer.post(new_url(operation), intake(almaty, half_typed, add_member="1"))

    assert response.status_code == 200
    assert not operation.citizens.exists()
    members = response.context["members"]
    assert len(members.forms) == 2
    assert not members.is_bound  # nothing judged yet: no errors for the unfinished person
    content = response.content.decode()
    assert 'value="Olena"' in content and 'id="id_members-1-surname"' in content
    assert "room 1204" in content
    assert "This field is required" not in content


def test_the_empty_intake_form_has_labels_and_the_script_for_adding_people(officer, operation):
    response = officer.get(new_url(operation))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_members-0-surname">' in content
    assert 'id="member-template"' in content and "js/registry.js" in content
    assert response.context["members"].forms[0]["nationality"].value() == "UA"


def test_the_error_summary_links_each_wrong_field(officer, operation, almaty):
    response = officer.post(
        new_url(operation), intake(almaty, OLENA, {**PETRO, "phone": "call me"}, current_city="")
    )

    content = response.content.decode()
    assert 'href="#id_members-1-phone">Person 2: Phone</a>' in content
    assert 'href="#id_current_city">Current city</a>' in content

"""Searching the registry the way people are found on the phone: by name in either script,
by document, by phone number as the person says it, or by the reference code they read out."""

import pytest
from django.urls import reverse

from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def found(client, operation, text: str) -> list:
    response = client.get(reverse("people:list", args=[operation.slug]), {"q": text})
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.fixture
def people(operation, almaty):
    return {
        "taras": make_citizen(
            operation,
            almaty,
            surname="Shevchenko",
            given_names="Taras Hryhorovych",
            surname_native="Шевченко",
            given_names_native="Тарас",
            document_number="FA123456",
            phone="+77012345678",
        ),
        "lesia": make_citizen(
            operation,
            almaty,
            surname="Kosach",
            given_names="Larysa",
            surname_native="Косач",
            given_names_native="Лариса",
            document_number="EK765432",
            phone="+380671234567",
        ),
    }


@pytest.fixture
def officer(client, bob):
    client.force_login(bob)
    return client


def test_by_the_start_of_a_latin_name_in_any_case(officer, operation, people):
    assert found(officer, operation, "shevch") == [people["taras"]]
    assert found(officer, operation, "LARYSA") == [people["lesia"]]


def test_every_word_must_match_a_name(officer, operation, people):
    assert found(officer, operation, "shevchenko taras") == [people["taras"]]
    assert found(officer, operation, "shevchenko larysa") == []


def test_by_a_cyrillic_name_in_any_case(officer, operation, people):
    assert found(officer, operation, "шевченко") == [people["taras"]]
    assert found(officer, operation, "ЛАРИСА") == [people["lesia"]]
    assert found(officer, operation, "косач лар") == [people["lesia"]]


def test_by_document_number_ignoring_case_and_spaces(officer, operation, people):
    assert found(officer, operation, "fa123456") == [people["taras"]]
    assert found(officer, operation, "EK 765 432") == [people["lesia"]]


def test_by_phone_number_however_it_is_written(officer, operation, people):
    # Kazakh national format (trunk prefix 8) for a number stored as +7 701 …
    assert found(officer, operation, "8 (701) 234-56-78") == [people["taras"]]
    assert found(officer, operation, "+7 701 234 56 78") == [people["taras"]]
    # Ukrainian national format for a Ukrainian number, in an operation in Kazakhstan.
    assert found(officer, operation, "067 123 45 67") == [people["lesia"]]
    # Only the end of a number, as read off a call log.
    assert found(officer, operation, "234-56-78") == [people["taras"]]


def test_by_reference_code_with_or_without_dash_in_any_case(officer, operation, people):
    taras = people["taras"]

    assert found(officer, operation, taras.reference.lower()) == [taras]
    assert found(officer, operation, taras.reference_code) == [taras]
    assert found(
        officer, operation, f" {taras.reference_code[:4]} {taras.reference_code[4:]} "
    ) == [taras]


def test_search_never_reaches_into_another_operation(officer, operation, other_operation, almaty):
    make_citizen(other_operation, almaty, surname="Shevchenko", document_number="FA123456")

    assert found(officer, operation, "shevchenko") == []
    assert found(officer, operation, "FA123456") == []


def test_search_combines_with_filters(officer, operation, people, nur_sultan):
    make_citizen(operation, nur_sultan, surname="Shevchenko", given_names="Ivan")

    response = officer.get(
        reverse("people:list", args=[operation.slug]),
        {"q": "shevchenko", "city": people["taras"].current_city_id},
    )

    assert list(response.context["page"].object_list) == [people["taras"]]

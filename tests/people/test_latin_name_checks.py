"""Cyrillic typed into a Latin name is refused with the transliteration offered, and the
people recorded so before are listed for staff to fix (never rewritten silently)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evac.people.models import Citizen
from evac.people.name_checks import names_not_passport_latin
from evac.people.services import citizen_update
from tests.api.client import op_url, token_client
from tests.factories import make_citizen
from tests.people.test_intake_views import OLENA, intake, new_url

pytestmark = pytest.mark.django_db


def test_a_cyrillic_surname_is_refused_with_the_ukrainian_transliteration(operation, almaty):
    with pytest.raises(ValidationError) as refused:
        make_citizen(operation, almaty, surname="Щербак", given_names="Юрій", nationality="UA")

    errors = refused.value.message_dict
    assert "SHCHERBAK" in errors["surname"][0]
    assert "YURII" in errors["given_names"][0]
    assert not Citizen.objects.exists()


def test_a_russian_passport_gets_the_icao_transliteration(operation, almaty):
    with pytest.raises(ValidationError) as refused:
        make_citizen(
            operation,
            almaty,
            given_names="Юлия",
            nationality="RU",
            document_issuing_country="RU",
        )

    assert "IULIIA" in refused.value.message_dict["given_names"][0]


def test_an_accented_latin_name_is_refused_with_the_mrz_spelling(operation, almaty):
    with pytest.raises(ValidationError) as refused:
        make_citizen(operation, almaty, surname="Müller", nationality="DE")

    assert "MUELLER" in refused.value.message_dict["surname"][0]


def test_an_edit_to_cyrillic_is_refused_too(operation, almaty, bob):
    person = make_citizen(operation, almaty, surname="Shcherbak")

    with pytest.raises(ValidationError):
        citizen_update(citizen=person, by=bob, surname="Щербак")

    person.refresh_from_db()
    assert person.surname == "Shcherbak"


def test_the_intake_form_shows_the_offer_on_the_field(client, operation, almaty, bob):
    client.force_login(bob)

    response = client.post(new_url(operation), intake(almaty, {**OLENA, "surname": "Згорани"}))

    assert response.status_code == 200
    assert "ZGHORANY" in response.content.decode()
    assert not Citizen.objects.exists()


def test_the_api_refuses_it_naming_the_field_and_the_offer(operation, almaty, alice):
    response = token_client(alice).post(
        op_url(operation, "citizens/"),
        {
            "surname": "Щербак",
            "given_names": "Olena",
            "date_of_birth": "1985-03-14",
            "sex": "F",
            "nationality": "UA",
            "document_type": "passport",
            "document_number": "FA123456",
            "current_city": almaty.pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "SHCHERBAK" in str(response.json()["error"]["fields"]["surname"])


@pytest.fixture
def recorded_in_cyrillic(operation, almaty):
    """Records from before the check: written straight to the table, as old data is."""
    shcherbak = make_citizen(operation, almaty, surname="Shcherbak", given_names="Yurii")
    Citizen.objects.filter(pk=shcherbak.pk).update(surname="Щербак", given_names="Юрій")
    dotted = make_citizen(operation, almaty, surname="St. John")  # not a letter: flagged
    clean = make_citizen(operation, almaty, surname="O'Brien-Smith", given_names="Anna Maria")
    return shcherbak, dotted, clean


def test_the_data_check_lists_only_names_a_passport_could_not_hold(recorded_in_cyrillic, operation):
    shcherbak, dotted, _clean = recorded_in_cyrillic

    assert set(names_not_passport_latin(operation)) == {shcherbak, dotted}


def test_the_data_check_page_offers_the_transliteration_and_changes_nothing(
    client, recorded_in_cyrillic, operation, carol
):
    shcherbak, dotted, _clean = recorded_in_cyrillic
    client.force_login(carol)

    response = client.get(reverse("people:names_to_fix", args=[operation.slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "SHCHERBAK" in page and "YURII" in page and "ST JOHN" in page
    assert shcherbak.reference in page and dotted.reference in page
    assert "O&#x27;Brien-Smith" not in page
    shcherbak.refresh_from_db()
    assert shcherbak.surname == "Щербак"  # a check, not a rewrite

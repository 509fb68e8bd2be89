"""Editing a person's details through citizen_update."""

from datetime import date

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def edit_url(operation, citizen) -> str:
    return reverse("people:edit", args=[operation.slug, citizen.reference_code])


def as_posted(citizen, **changes) -> dict:
    """The edit form as the browser sends it back, with some fields changed."""
    data = model_to_dict(citizen)
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["current_city"] = citizen.current_city_id
    data["nationality"] = str(citizen.nationality)
    data["document_issuing_country"] = str(citizen.document_issuing_country)
    data["phone"] = str(citizen.phone) if citizen.phone else ""
    for flag in ("medical_need", "reduced_mobility", "pregnant"):
        if not data[flag]:
            data.pop(flag)
    data.update(changes)
    return data


def test_the_form_shows_the_current_details(client, bob, operation, almaty):
    olena = make_citizen(operation, almaty, surname="Koval", temporary_address="Abay Ave 10")
    client.force_login(bob)

    response = client.get(edit_url(operation, olena))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Koval"' in content and "Abay Ave 10" in content


def test_changes_are_saved_with_who_made_them(client, bob, operation, almaty, nur_sultan):
    olena = make_citizen(
        operation, almaty, temporary_address="Abay Ave 10", document_issuing_country="UA"
    )
    client.force_login(bob)

    # A Kazakh number as dialled in Kazakhstan, in an operation there.
    changes = {"temporary_address": "Kenesary St 4", "current_city": nur_sultan.pk}
    response = client.post(
        edit_url(operation, olena), as_posted(olena, phone="8 701 234 56 78", **changes)
    )

    assert response.url == reverse("people:detail", args=[operation.slug, olena.reference_code])
    olena.refresh_from_db()
    assert olena.temporary_address == "Kenesary St 4"
    assert olena.current_city == nur_sultan
    assert str(olena.phone) == "+77012345678"
    record = olena.history.latest()
    assert record.history_user == bob
    changed = set(record.diff_against(record.prev_record).changed_fields)
    assert changed == {"temporary_address", "current_city", "phone"}


def test_an_error_keeps_what_was_typed_and_names_the_field(client, bob, operation, almaty):
    olena = make_citizen(operation, almaty, date_of_birth=date(1985, 3, 14))
    client.force_login(bob)

    response = client.post(
        edit_url(operation, olena),
        as_posted(olena, date_of_birth="2999-01-01", temporary_address="Kenesary St 4"),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date_of_birth"}
    content = response.content.decode()
    assert 'id="id_date_of_birth_error"' in content
    assert "Kenesary St 4" in content and 'value="2999-01-01"' in content
    olena.refresh_from_db()
    assert olena.date_of_birth == date(1985, 3, 14) and olena.temporary_address == ""


def test_saving_without_changes_writes_nothing(client, bob, operation, almaty):
    olena = make_citizen(operation, almaty, document_issuing_country="UA")
    client.force_login(bob)
    records = olena.history.count()

    response = client.post(edit_url(operation, olena), as_posted(olena))

    assert response.status_code == 302
    assert olena.history.count() == records

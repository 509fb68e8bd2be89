"""People through the API: the same services as the intake form, the edit page and the log."""

from datetime import UTC, datetime

import pytest

from evac.people.models import Citizen, ContactLogEntry
from tests.api.client import op_url, token_client
from tests.factories import make_citizen


@pytest.fixture
def api(bob):
    return token_client(bob)  # an officer registers and edits people


def _person(city, **fields) -> dict:
    return {
        "surname": "Melnyk",
        "given_names": "Iryna",
        "date_of_birth": "1990-02-03",
        "sex": "F",
        "nationality": "UA",
        "document_type": "passport",
        "document_number": "FX123456",
        "current_city": city.pk,
        "phone": "+77011234567",
        **fields,
    }


def test_registering_a_person_records_who_did_it(api, operation, almaty, bob):
    response = api.post(op_url(operation, "citizens/"), _person(almaty), format="json")

    assert response.status_code == 201
    body = response.json()
    citizen = Citizen.objects.get(reference_code=body["reference"].replace("-", ""))
    assert (citizen.surname, citizen.status, citizen.source) == ("Melnyk", "waiting", "import")
    assert citizen.history.get().history_user == bob
    assert body["current_city_name"] == "Almaty"
    assert body["phone"] == "+77011234567"


def test_a_household_is_registered_together_with_its_head_first(api, operation, almaty):
    members = [_person(almaty), _person(almaty, given_names="Taras", document_number="FX2")]

    response = api.post(
        op_url(operation, "households/"),
        {"members": members, "source": "staff_intake"},
        format="json",
    )

    assert response.status_code == 201
    household = operation.households.get()
    assert household.head.given_names == "Iryna"
    assert response.json()["members"] == [m.reference for m in household.members.order_by("pk")]


def test_a_household_with_one_invalid_member_registers_nobody(api, operation, almaty):
    members = [_person(almaty), _person(almaty, date_of_birth="2999-01-01")]

    response = api.post(op_url(operation, "households/"), {"members": members}, format="json")

    assert response.status_code == 400
    assert not Citizen.objects.exists()


def test_editing_changes_only_the_fields_sent(api, operation, almaty):
    olena = make_citizen(operation, almaty, notes="first call")

    response = api.patch(
        op_url(operation, f"citizens/{olena.reference}/"),
        {"temporary_address": "Abaya 10"},
        format="json",
    )

    assert response.status_code == 200
    olena.refresh_from_db()
    assert (olena.temporary_address, olena.notes) == ("Abaya 10", "first call")


def test_status_and_booked_are_not_editable_fields(api, operation, almaty):
    olena = make_citizen(operation, almaty)

    api.patch(op_url(operation, f"citizens/{olena.reference}/"), {"status": "evacuated"}, "json")

    olena.refresh_from_db()
    assert olena.status == Citizen.Status.WAITING


def test_a_decision_goes_through_the_status_rules(api, operation, almaty):
    olena = make_citizen(operation, almaty)
    url = op_url(operation, f"citizens/{olena.reference}/status/")

    stays = api.post(url, {"status": "decided_to_stay"}, format="json")
    booked = api.post(url, {"status": "booked"}, format="json")

    assert stays.status_code == 200 and stays.json()["status"] == "decided_to_stay"
    assert booked.status_code == 400  # not a decision: it follows from the flights
    olena.refresh_from_db()
    assert olena.status == Citizen.Status.DECIDED_TO_STAY


def test_logging_a_call_in_which_we_heard_from_the_person_updates_last_heard(
    api, operation, almaty, bob
):
    olena = make_citizen(operation, almaty)
    at = "2022-01-08T10:15:00+06:00"

    response = api.post(
        op_url(operation, f"citizens/{olena.reference}/contacts/"),
        {"channel": "phone", "direction": "inbound", "outcome": "reached", "at": at},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["by"] == "bob"
    olena.refresh_from_db()
    assert olena.last_contacted_at == datetime(2022, 1, 8, 4, 15, tzinfo=UTC)
    log = api.get(op_url(operation, f"citizens/{olena.reference}/contacts/")).json()
    assert [entry["at"] for entry in log] == ["2022-01-08T04:15:00Z"]
    assert ContactLogEntry.objects.get().by == bob


def test_a_person_is_found_by_code_in_any_case_with_or_without_dash(api, operation, almaty):
    olena = make_citizen(operation, almaty)

    for code in (olena.reference, olena.reference_code.lower()):
        response = api.get(op_url(operation, f"citizens/{code}/"))
        assert response.json()["reference"] == olena.reference

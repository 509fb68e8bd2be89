"""The API shows what the pages show: medical details only to roles that may read them,
document numbers masked in the registry list and whole on a person's own endpoint, and
answers that match the published schema for every role."""

import json

import pytest
import requests
import schemathesis
from django.test import Client

from evac.core.clock import now
from evac.notifications.models import Notification
from tests.api.client import op_url, session_client, token_client
from tests.people.sensitive import (
    DOCUMENT,
    MASKED_DOCUMENT,
    MEDICAL,
    MEDICAL_BEFORE,
    api_answers,
    sensitive_person,
)

pytestmark = pytest.mark.django_db

# The person's own endpoint, and the manifest for the carrier (the JSON twin of the CSV).
WHOLE_NUMBER_ENDPOINTS = {
    "citizen",
    "manifest",
    "manifest-csv",
    "manifest-xlsx",
    "manifest-paxlst",
}


@pytest.fixture
def hanna(operation, almaty, flight, alice):
    return sensitive_person(operation, almaty, flight, by=alice)


def _person_url(hanna) -> str:
    return op_url(hanna.person.operation, f"citizens/{hanna.person.reference}/")


def test_a_viewer_gets_null_for_the_details_and_still_sees_the_need(carol, hanna):
    api = token_client(carol)

    person = api.get(_person_url(hanna)).json()
    listed = api.get(op_url(hanna.person.operation, "citizens/")).json()["results"]

    assert person["medical_details"] is None and person["medical_need"] is True
    assert person["is_vulnerable"] is True
    assert [p["medical_need"] for p in listed] == [True, False]


def test_no_answer_to_a_viewer_holds_the_medical_details(carol, hanna):
    answers = api_answers(session_client(carol), hanna)

    assert {"citizens", "citizen", "bookings", "manifest", "households"} <= set(answers)
    for name, body in answers.items():
        assert MEDICAL not in body and MEDICAL_BEFORE not in body, name


@pytest.mark.parametrize("user", ["alice", "bob"])
def test_officers_and_coordinators_read_the_details_in_the_record(request, user, hanna):
    api = token_client(request.getfixturevalue(user))

    person = api.get(_person_url(hanna)).json()
    listed = api.get(op_url(hanna.person.operation, "citizens/"), {"q": DOCUMENT}).json()

    assert person["medical_details"] == MEDICAL
    # A list carries no health details to anyone: they are in the person's record, logged.
    assert [p["medical_need"] for p in listed["results"]] == [True]
    assert "medical_details" not in listed["results"][0]


def test_writes_answer_with_the_details_to_the_staff_who_made_them(alice, bob, hanna):
    edited = token_client(bob).patch(_person_url(hanna), {"notes": "window seat"}, format="json")
    # Hanna holds a seat, so marking her unreachable is a coordinator's (it cancels it).
    status = token_client(alice).post(
        _person_url(hanna) + "status/", {"status": "unreachable"}, format="json"
    )

    assert edited.status_code == 200 and edited.json()["medical_details"] == MEDICAL
    assert status.status_code == 200 and status.json()["medical_details"] == MEDICAL


def test_the_list_masks_document_numbers_and_the_person_shows_the_whole(carol, hanna):
    api = token_client(carol)

    listed = api.get(op_url(hanna.person.operation, "citizens/")).json()["results"]
    person = api.get(_person_url(hanna)).json()

    assert {p["document_number"] for p in listed} == {MASKED_DOCUMENT, "•••••0001"}
    assert person["document_number"] == DOCUMENT


def test_the_list_finds_a_person_by_the_whole_number(carol, hanna):
    api = token_client(carol)

    found = api.get(op_url(hanna.person.operation, "citizens/"), {"q": DOCUMENT.lower()}).json()

    assert [p["reference"] for p in found["results"]] == [hanna.person.reference]
    assert found["results"][0]["document_number"] == MASKED_DOCUMENT


def test_only_the_persons_endpoint_and_the_manifest_hold_the_whole_number(alice, hanna):
    answers = api_answers(session_client(alice), hanna)

    assert WHOLE_NUMBER_ENDPOINTS | {"citizens", "citizens?q"} <= set(answers)
    for name, body in answers.items():
        if name in WHOLE_NUMBER_ENDPOINTS:
            assert DOCUMENT in body, name
        else:
            assert DOCUMENT not in body, name


@pytest.mark.parametrize("user", ["carol", "alice"])
def test_the_answers_match_the_published_schema_for_every_role(request, user, hanna):
    raw = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    schema = schemathesis.openapi.from_dict(raw)
    api = token_client(request.getfixturevalue(user))
    reads = {
        "/api/v1/operations/{op}/citizens/": op_url(hanna.person.operation, "citizens/"),
        "/api/v1/operations/{op}/citizens/{ref}/": _person_url(hanna),
    }

    for template, url in reads.items():
        response = api.get(url)
        assert response.status_code == 200, url
        endpoint = schema[template]["GET"]
        # Raises, naming the field, when an answer contradicts the schema.
        endpoint.validate_response(_as_schemathesis(response, f"http://testserver{url}"))


def _as_schemathesis(response, url: str) -> schemathesis.Response:
    return schemathesis.Response(
        status_code=response.status_code,
        headers={name.lower(): [value] for name, value in response.headers.items()},
        content=json.dumps(response.json()).encode(),
        request=requests.Request("GET", url).prepare(),
        elapsed=0.0,
        verify=True,
    )


def test_a_message_whose_text_is_withheld_still_matches_the_schema(alice, carol, operation):
    """A staff invitation's subject and text are null for a viewer: the schema says so."""
    Notification.objects.create(
        operation=operation,
        staff_user=alice,
        kind=Notification.Kind.STAFF_INVITATION,
        channel=Notification.Channel.EMAIL,
        language="en",
        to_address="alice@example.org",
        subject="Your invitation",
        body="Set your password: ••••••",
        due_at=now(),
        idempotency_key="invitation-alice",
    )
    raw = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    endpoint = schemathesis.openapi.from_dict(raw)["/api/v1/operations/{op}/notifications/"]["GET"]
    url = op_url(operation, "notifications/")

    response = token_client(carol).get(url)

    assert response.json()["results"][0]["body"] is None
    endpoint.validate_response(_as_schemathesis(response, f"http://testserver{url}"))

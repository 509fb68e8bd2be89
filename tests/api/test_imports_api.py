"""POST /api/v1/operations/<op>/imports/ takes a spreadsheet; GET …/imports/<id>/ says how far
it got. The same services as the staff pages."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evac.people.import_models import PeopleImport
from evac.people.imports import import_run
from evac.people.models import Citizen
from tests.api.client import op_url, token_client

pytestmark = pytest.mark.django_db

LIST = "\ufeffSurname;Given names;Born;Passport;City\nKOVAL;OLENA;01.05.1990;FB000001;Almaty\n"


def upload(text: str = LIST) -> SimpleUploadedFile:
    return SimpleUploadedFile("list.csv", text.encode(), content_type="text/csv")


def test_an_officer_uploads_a_list_and_follows_its_run(operation, almaty, bob):
    api = token_client(bob)
    response = api.post(op_url(operation, "imports/"), {"file": upload()}, format="multipart")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued"
    assert body["rows_total"] == 1
    assert set(body["mapping"].values()) == {
        "surname",
        "given_names",
        "date_of_birth",
        "document_number",
        "current_city",
    }
    import_run(import_id=body["id"])  # what the worker does

    status = api.get(op_url(operation, f"imports/{body['id']}/")).json()
    assert (status["status"], status["rows_created"], status["percent"]) == ("done", 1, 100)
    assert Citizen.objects.get(operation=operation).surname == "KOVAL"


def test_a_mapping_sent_by_title_replaces_the_guess(operation, almaty, bob):
    mapping = {"Surname": "surname", "Given names": "given_names", "Born": "date_of_birth"}
    response = token_client(bob).post(
        op_url(operation, "imports/"),
        {"file": upload(), "mapping": json.dumps(mapping), "run": "false"},
        format="multipart",
    )

    assert response.status_code == 201
    assert PeopleImport.objects.get().mapping == {
        "0": "surname",
        "1": "given_names",
        "2": "date_of_birth",
    }
    assert response.json()["status"] == "mapping"


def test_a_file_that_is_no_list_is_refused_with_the_reason(operation, bob):
    response = token_client(bob).post(
        op_url(operation, "imports/"), {"file": upload("\n\n")}, format="multipart"
    )

    assert response.status_code == 400
    assert "no rows" in json.dumps(response.json())
    assert not PeopleImport.objects.exists()


def test_a_picture_sent_as_a_list_is_refused_as_no_text(operation, bob):
    # A PNG decodes as Windows-1251 but holds NUL bytes, which no text column can store.
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08IEND"
    picture = SimpleUploadedFile("file.png", png, content_type="image/png")

    response = token_client(bob).post(
        op_url(operation, "imports/"), {"file": picture}, format="multipart"
    )

    assert response.status_code == 400
    assert "text" in json.dumps(response.json())
    assert not PeopleImport.objects.exists()


def test_a_viewer_may_neither_upload_nor_read_imports(operation, carol):
    api = token_client(carol)
    assert api.get(op_url(operation, "imports/")).status_code == 403
    posted = api.post(op_url(operation, "imports/"), {"file": upload()}, format="multipart")
    assert posted.status_code == 403


def test_the_schema_documents_the_imports(client, operation):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/operations/{op}/imports/" in schema["paths"]
    assert "/api/v1/operations/{op}/imports/{id}/" in schema["paths"]


def test_a_blank_mapping_is_refused_not_read_as_left_out(operation, bob):
    response = token_client(bob).post(
        op_url(operation, "imports/"), {"file": upload(), "mapping": ""}, format="multipart"
    )

    assert response.status_code == 400
    assert "mapping" in response.json()["error"]["fields"]
    assert not PeopleImport.objects.exists()


def test_an_import_uploaded_to_check_first_starts_later_with_its_mapping(operation, almaty, bob):
    api = token_client(bob)
    uploaded = api.post(
        op_url(operation, "imports/"), {"file": upload(), "run": False}, format="multipart"
    ).json()
    assert uploaded["status"] == "mapping"
    url = op_url(operation, f"imports/{uploaded['id']}/start/")

    without_surname = api.post(url, {"mapping": {"Surname": ""}}, format="json")
    whole = {"Surname": "surname", "Given names": "given_names", "Born": "date_of_birth"}
    started = api.post(url, {"mapping": whole}, format="json")
    again = api.post(url, {}, format="json")

    assert without_surname.status_code == 400
    assert list(without_surname.json()["error"]["fields"]) == ["mapping"]
    assert started.status_code == 200, started.content
    assert started.json()["status"] == "queued"
    assert set(started.json()["mapping"].values()) == set(whole.values())
    assert again.status_code == 400
    assert PeopleImport.objects.get(pk=uploaded["id"]).status == PeopleImport.Status.QUEUED


@pytest.mark.parametrize("who", ["carol", "dave"])
def test_a_viewer_or_another_operations_member_may_not_start_an_import(
    operation, bob, who, request
):
    uploaded = token_client(bob).post(
        op_url(operation, "imports/"), {"file": upload(), "run": False}, format="multipart"
    )

    response = token_client(request.getfixturevalue(who)).post(
        op_url(operation, f"imports/{uploaded.json()['id']}/start/"), {}, format="json"
    )

    assert response.status_code == {"carol": 403, "dave": 404}[who]
    assert PeopleImport.objects.get().status == PeopleImport.Status.MAPPING

"""Staff-page files and import mappings through the API: a transfer's manifest as CSV and
XLSX (flights.transfer_files, with the page's access log), an import's mapping saved under a
name and applied (people.imports.mapping_save / mapping_apply), and its rows in error
(people.imports.import_errors_csv, logged as on the page). Each calls the page's service, so
each has the page's roles and refusals."""

import csv
import io

import pytest
from openpyxl import load_workbook

from evac.audit.models import AccessAction, AccessChannel, AccessLogEntry, AccessObjectKind
from evac.core.actor import EVAC
from evac.flights.transfers import transfer_book
from evac.people.import_models import ImportMapping, PeopleImport
from evac.people.imports import import_create, import_run, import_start
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen
from tests.flights.factories import make_transfer

pytestmark = pytest.mark.django_db


# A transfer's manifest files ---------------------------------------------------------------


@pytest.fixture
def train(operation, almaty, nur_sultan):
    train = make_transfer(operation, almaty, nur_sultan, number="12")
    person = make_citizen(operation, almaty, surname="KOVAL", given_names="OLENA")
    transfer_book(transfer=train, citizen=person, by=EVAC)
    return train


@pytest.mark.parametrize(
    ("fmt", "action"),
    [("csv", AccessAction.MANIFEST_EXPORTED_CSV), ("xlsx", AccessAction.MANIFEST_EXPORTED_XLSX)],
)
def test_the_transfer_manifest_file_is_the_pages_and_is_logged(operation, train, bob, fmt, action):
    response = token_client(bob).get(op_url(operation, f"transfers/{train.pk}/manifest.{fmt}"))

    assert response.status_code == 200, response.content[:300]
    assert response["Cache-Control"] == "no-store"
    assert f'filename="transfer-{train.pk}-rail-12-' in response["Content-Disposition"]
    if fmt == "csv":
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:2] == ["Surname", "Given names"]
        assert rows[1][:2] == ["KOVAL", "OLENA"]
    else:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = load_workbook(io.BytesIO(response.content))
        cells = {
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        }
        assert {"KOVAL", "OLENA"} <= cells
    # As the staff page writes it (transfer_paper_views.transfer_export), through the API.
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.channel) == (bob, action, AccessChannel.API)
    assert (entry.object_kind, entry.object_id, entry.object_label) == (
        AccessObjectKind.TRANSFER,
        train.pk,
        train.record_label,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_viewer_gets_no_transfer_manifest_file(operation, train, carol, fmt):
    response = token_client(carol).get(op_url(operation, f"transfers/{train.pk}/manifest.{fmt}"))

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_another_operation_gets_404_for_the_transfer_manifest(operation, train, dave, fmt):
    response = token_client(dave).get(op_url(operation, f"transfers/{train.pk}/manifest.{fmt}"))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert not AccessLogEntry.objects.exists()


def test_a_transfer_of_another_operation_is_not_found(
    operation, other_operation, almaty, nur_sultan, alice
):
    theirs = make_transfer(other_operation, almaty, nur_sultan)

    response = token_client(alice).get(op_url(operation, f"transfers/{theirs.pk}/manifest.csv"))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_head_is_refused_so_no_copy_leaves_unlogged(operation, train, alice):
    response = token_client(alice).head(op_url(operation, f"transfers/{train.pk}/manifest.csv"))

    assert response.status_code == 405


# Imports: saved mappings and the rows in error ---------------------------------------------

LIST = (
    "Surname;Given names;Born;City\nKOVAL;OLENA;01.05.1990;Almaty\nBONDAR;IVAN;not a date;Almaty\n"
)


@pytest.fixture
def listed(operation, almaty, alice) -> PeopleImport:
    """An uploaded list still being mapped: its columns guessed from the titles."""
    return import_create(operation=operation, by=alice, file_name="list.csv", content=LIST.encode())


def test_an_officer_saves_the_mapping_under_a_name_and_lists_it(operation, listed, bob):
    api = token_client(bob)

    saved = api.post(
        op_url(operation, f"imports/{listed.pk}/mappings/"), {"name": " Consulate "}, format="json"
    )
    listed_mappings = api.get(op_url(operation, "mappings/"))

    assert saved.status_code == 201, saved.content
    by_title = {"Surname": "surname", "Given names": "given_names", "Born": "date_of_birth"}
    assert by_title.items() <= saved.json()["mapping"].items()
    assert saved.json()["name"] == "Consulate"
    assert listed_mappings.status_code == 200
    assert [m["name"] for m in listed_mappings.json()["results"]] == ["Consulate"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [("mappings/", {"name": 0}, "name"), ("mapping/apply/", {"mapping": "1"}, "mapping")],
)
def test_a_name_or_id_of_the_wrong_type_is_a_400_naming_the_field(
    operation, listed, bob, path, body, field
):
    # As the schema says: a name is a string and an id a number, not what DRF would coerce.
    response = token_client(bob).post(
        op_url(operation, f"imports/{listed.pk}/{path}"), body, format="json"
    )

    assert response.status_code == 400
    assert field in error_of(response)["fields"]


def test_a_saved_mapping_maps_a_file_with_its_columns_elsewhere(operation, almaty, alice, bob):
    ImportMapping.objects.create(
        operation=operation,
        name="Consulate",
        mapping={"Прізвище": "surname", "Ім'я": "given_names"},
    )
    other = import_create(
        operation=operation,
        by=alice,
        file_name="b.csv",
        content="Ім'я;Х;Прізвище\nA;B;C\n".encode(),
    )
    saved = ImportMapping.objects.get()

    response = token_client(bob).post(
        op_url(operation, f"imports/{other.pk}/mapping/apply/"),
        {"mapping": saved.pk},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["mapping"] == {"0": "given_names", "2": "surname"}
    other.refresh_from_db()
    assert other.mapping == {"0": "given_names", "2": "surname"}


def test_applying_a_mapping_of_another_operation_or_to_a_started_import_is_a_400(
    operation, other_operation, listed, bob
):
    theirs = ImportMapping.objects.create(operation=other_operation, name="x", mapping={})
    ours = ImportMapping.objects.create(operation=operation, name="y", mapping={})
    api = token_client(bob)
    url = op_url(operation, f"imports/{listed.pk}/mapping/apply/")

    unknown = api.post(url, {"mapping": theirs.pk}, format="json")
    import_start(people_import=listed, by=bob)
    started = api.post(url, {"mapping": ours.pk}, format="json")

    assert unknown.status_code == 400 and "mapping" in error_of(unknown)["fields"]
    assert started.status_code == 400 and "mapping" in error_of(started)["fields"]


def test_the_rows_in_error_are_the_pages_file_and_are_logged(operation, listed, bob):
    import_start(people_import=listed, by=bob)
    import_run(import_id=listed.pk)  # what the worker does

    response = token_client(bob).get(op_url(operation, f"imports/{listed.pk}/errors.csv"))

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Surname", "Given names", "Born", "City", "Row", "Reason"]
    assert [row[:2] for row in rows[1:]] == [["BONDAR", "IVAN"]]
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.channel) == (
        bob,
        AccessAction.IMPORT_ERRORS_DOWNLOADED,
        AccessChannel.API,
    )
    assert (entry.object_kind, entry.object_id, entry.object_label) == (
        AccessObjectKind.IMPORT,
        listed.pk,
        f"import {listed.pk}",
    )


IMPORT_CALLS = [
    ("get", "mappings/", None),
    ("post", "imports/{pk}/mappings/", {"name": "Consulate"}),
    ("post", "imports/{pk}/mapping/apply/", {"mapping": 1}),
    ("get", "imports/{pk}/errors.csv", None),
]


@pytest.mark.parametrize(("method", "path", "body"), IMPORT_CALLS)
def test_a_viewer_may_not_use_imports(operation, listed, carol, method, path, body):
    url = op_url(operation, path.format(pk=listed.pk))

    response = getattr(token_client(carol), method)(url, body, format="json")

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert not AccessLogEntry.objects.exists() and not ImportMapping.objects.exists()


@pytest.mark.parametrize(("method", "path", "body"), IMPORT_CALLS)
def test_another_operation_gets_404_for_imports(operation, listed, dave, method, path, body):
    url = op_url(operation, path.format(pk=listed.pk))

    response = getattr(token_client(dave), method)(url, body, format="json")

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists() and not ImportMapping.objects.exists()

"""Staff-page files through the API: a transfer's manifest as CSV and XLSX (the page's
service, flights.transfer_files, and the page's access log). Each calls the page's service,
so each has the page's roles and refusals."""

import csv
import io

import pytest
from openpyxl import load_workbook

from evac.audit.models import AccessAction, AccessChannel, AccessLogEntry, AccessObjectKind
from evac.core.actor import EVAC
from evac.flights.transfers import transfer_book
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

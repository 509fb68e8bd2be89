"""The manifest as CSV and XLSX with the APIS fields, who may take one, and the record of
every copy taken."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from evac.core.cells import defuse
from evac.flights.exports import COLUMNS, DOCUMENT_TYPE_CODES
from evac.flights.manifest_files import manifest_file_export
from evac.flights.models import Booking, Flight, ManifestExport
from evac.flights.services import (
    booking_cancel,
    booking_create,
    booking_set_status,
    flight_set_status,
)
from evac.people.models import Citizen
from tests.factories import make_citizen, make_flight
from tests.pages import text

pytestmark = pytest.mark.django_db


def _url(flight, fmt):
    return reverse("flights:export", args=[flight.operation.slug, flight.pk, fmt])


@pytest.fixture
def flight_9004(operation, almaty, nqz, kbp, alice):
    flight = make_flight(
        operation,
        nqz,
        kbp,
        number="PS 9004",
        departs_at=datetime(2030, 1, 13, 4, 40, tzinfo=UTC),
    )
    savchenko = make_citizen(
        operation,
        almaty,
        surname="Savchenko",
        given_names="Oksana Petrivna",
        sex="F",
        date_of_birth=date(1979, 11, 2),
        nationality="UA",
        document_type=Citizen.DocumentType.PASSPORT,
        document_number="FS765432",
        document_issuing_country="UA",
        document_expires_on=date(2029, 5, 31),
    )
    husband = make_citizen(
        operation,
        almaty,
        surname="Nowak",
        given_names="Piotr",
        sex="M",
        nationality="PL",
        document_type=Citizen.DocumentType.NATIONAL_ID,
        document_number="ABC123456",
        document_issuing_country="PL",
    )
    returning = make_citizen(
        operation,
        almaty,
        surname="Ivanenko",
        given_names="Yurii",
        sex="M",
        document_type=Citizen.DocumentType.TRAVEL_DOCUMENT,
        document_number="CR0001",
        document_issuing_country="UA",
    )
    cancelled = make_citizen(operation, almaty, surname="Gone")
    bookings = [
        booking_create(flight=flight, citizen=c, by=alice)
        for c in (savchenko, husband, returning, cancelled)
    ]
    booking_cancel(booking=bookings[3], by=alice)
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    booking_set_status(booking=bookings[0], status=Booking.Status.BOARDED, by=alice)
    return flight


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_the_csv_has_the_apis_columns_and_one_row_per_seat(client, flight_9004, bob):
    client.force_login(bob)

    response = client.get(_url(flight_9004, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="manifest-PS9004-2030-01-13.csv"'
    )
    header, *rows = _csv(response)
    assert header == list(COLUMNS)
    ref = {c.surname: c.reference for c in Citizen.objects.all()}
    assert rows == [
        [
            "IVANENKO",
            "YURII",
            "M",
            "1985-03-14",
            "UKR",
            "other",
            "CR0001",
            "UKR",
            "",
            rows[0][9],
            "Booked",
            "",
            "",
            "",
        ],
        [
            "NOWAK",
            "PIOTR",
            "M",
            "1985-03-14",
            "POL",
            "I",
            "ABC123456",
            "POL",
            "",
            rows[1][9],
            "Booked",
            "",
            "",
            "",
        ],
        [
            "SAVCHENKO",
            "OKSANA PETRIVNA",
            "F",
            "1979-11-02",
            "UKR",
            "P",
            "FS765432",
            "UKR",
            "2029-05-31",
            ref["Savchenko"],
            "Boarded",
            "",
            "document expires before arrival",  # 31 May 2029, the flight lands in 2030
            "",
        ],
    ]


def _as_csv(cell) -> str:
    if isinstance(cell, datetime):  # a real date in the workbook, ISO 8601 in the CSV
        return cell.date().isoformat()
    return "" if cell is None else cell


def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


def test_the_xlsx_passenger_sheet_holds_the_csvs_columns_and_rows(client, flight_9004, bob):
    client.force_login(bob)

    response = client.get(_url(flight_9004, "xlsx"))

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "manifest-PS9004-2030-01-13.xlsx" in response["Content-Disposition"]
    workbook = _workbook(response)
    assert workbook.sheetnames == ["Flight", "PS 9004"]
    rows = [list(row) for row in workbook["PS 9004"].iter_rows(values_only=True)]
    csv_rows = _csv(client.get(_url(flight_9004, "csv")))
    assert rows[0] == list(COLUMNS)
    assert [[_as_csv(cell) for cell in row] for row in rows] == csv_rows


def test_the_xlsx_has_a_bold_frozen_header_set_widths_and_real_dates(client, flight_9004, bob):
    client.force_login(bob)

    sheet = _workbook(client.get(_url(flight_9004, "xlsx")))["PS 9004"]

    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    # Widths in characters as Excel shows them; the file stores them with Excel's padding
    # (22 characters are 22.71 in the file).
    assert sheet.column_dimensions["A"].width == pytest.approx(22, abs=1)  # surname
    assert sheet.column_dimensions["G"].width == pytest.approx(18, abs=1)  # document number
    savchenko = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "SAVCHENKO")
    birth, expiry = savchenko[COLUMNS.index("Date of birth")], savchenko[8]
    assert birth.is_date and birth.value == datetime(1979, 11, 2)
    assert birth.number_format == "yyyy-mm-dd"
    assert expiry.is_date and expiry.value == datetime(2029, 5, 31)
    assert savchenko[COLUMNS.index("Document number")].data_type == "s"


def test_the_xlsx_first_sheet_describes_the_flight_and_who_made_the_file(client, flight_9004, bob):
    client.force_login(bob)

    sheet = _workbook(client.get(_url(flight_9004, "xlsx")))["Flight"]
    facts = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}

    assert facts["Flight"] == "PS 9004"
    assert facts["Carrier"] == flight_9004.carrier
    assert facts["Route"].startswith("NQZ ") and " → KBP " in facts["Route"]
    # The airport's local time, as a real date-time (Excel has no time zones).
    local = flight_9004.departs_local
    assert facts["Departs (local time)"] == local.replace(tzinfo=None)
    assert local.utcoffset() != timedelta(0)
    assert facts["Passengers in this file"] == 3
    assert (facts["Seats booked"], facts["Seats boarded"]) == (2, 1)
    assert facts["Generated by"] == "bob"
    assert isinstance(facts["Generated at (UTC)"], datetime)
    assert sheet["A1"].font.bold


def test_a_viewer_gets_no_file_and_no_export_is_recorded(client, flight_9004, carol):
    client.force_login(carol)

    for fmt in ("csv", "xlsx"):
        assert client.get(_url(flight_9004, fmt)).status_code == 403
    assert not ManifestExport.objects.exists()


def test_the_export_service_refuses_a_viewer(flight_9004, carol):
    with pytest.raises(PermissionDenied):
        manifest_file_export(flight=flight_9004, format="csv", by=carol)

    assert not ManifestExport.objects.exists()


def test_the_export_service_returns_the_file_and_records_it(flight_9004, bob):
    file = manifest_file_export(flight=flight_9004, format="csv", by=bob)

    assert file.filename == "manifest-PS9004-2030-01-13.csv"
    assert file.content.decode().splitlines()[0] == ",".join(COLUMNS)
    assert file.rows == 3
    assert ManifestExport.objects.get().by == bob


def test_a_viewer_reads_the_print_view_with_numbers_masked(client, flight_9004, carol, bob):
    url = reverse("flights:print", args=[flight_9004.operation.slug, flight_9004.pk])
    client.force_login(carol)
    masked = client.get(url).content.decode()
    client.force_login(bob)
    whole = client.get(url).content.decode()

    assert "FS765432" not in masked and "•••••5432" in masked
    assert "FS765432" in whole


def test_every_export_is_recorded(client, flight_9004, alice, bob, carol):
    client.force_login(alice)
    client.get(_url(flight_9004, "csv"))
    client.force_login(bob)
    client.get(_url(flight_9004, "xlsx"))

    records = list(
        ManifestExport.objects.order_by("pk").values_list("by__username", "format", "rows")
    )

    assert records == [("alice", "csv", 3), ("bob", "xlsx", 3)]
    client.force_login(carol)  # a viewer sees who took copies, without taking one
    page = text(
        client.get(reverse("flights:manifest", args=[flight_9004.operation.slug, flight_9004.pk]))
    )
    assert "XLSX exported by bob at" in page and "CSV exported by alice at" in page


def test_a_name_that_looks_like_a_formula_is_defused_in_csv_and_kept_as_text_in_xlsx(
    client, operation, almaty, flight, alice
):
    booking_create(
        flight=flight,
        citizen=make_citizen(
            operation, almaty, surname='=HYPERLINK("http://evil")', given_names="+cmd|calc"
        ),
        by=alice,
    )
    client.force_login(alice)

    (_header, row) = _csv(client.get(_url(flight, "csv")))
    sheet = load_workbook(io.BytesIO(client.get(_url(flight, "xlsx")).content))[flight.number]

    assert row[0] == '\'=HYPERLINK("HTTP://EVIL")' and row[1] == "'+CMD|CALC"
    assert sheet["A2"].value == '=HYPERLINK("HTTP://EVIL")'
    assert sheet["A2"].data_type == "s"  # a string, never evaluated as a formula


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+380", "'+380"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("KOVAL", "KOVAL"),
        ("", ""),
    ],
)
def test_defuse_quotes_cells_a_spreadsheet_would_run(value, safe):
    assert defuse(value) == safe


def test_the_document_type_mapping_covers_every_type():
    assert set(DOCUMENT_TYPE_CODES) == set(Citizen.DocumentType.values)
    assert DOCUMENT_TYPE_CODES["passport"] == "P" and DOCUMENT_TYPE_CODES["national_id"] == "I"


def test_an_unknown_format_is_not_found(client, flight, bob):
    client.force_login(bob)

    assert client.get(_url(flight, "pdf")).status_code == 404
    assert not ManifestExport.objects.exists()


def test_a_member_of_another_operation_cannot_export_our_manifest(client, flight_9004, dave):
    client.force_login(dave)

    assert client.get(_url(flight_9004, "csv")).status_code == 404
    assert not ManifestExport.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, flight_9004):
    response = client.get(_url(flight_9004, "csv"))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not ManifestExport.objects.exists()


def test_a_head_request_takes_no_copy_and_records_none(client, flight_9004, bob):
    client.force_login(bob)

    assert client.head(_url(flight_9004, "csv")).status_code == 405
    assert not ManifestExport.objects.exists()

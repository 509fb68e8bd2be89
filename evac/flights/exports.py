"""A flight's manifest as the file carriers and border control ask for (APIS fields).

One row per seat that is not cancelled, in the manifest's alphabetical order, with the
Advance Passenger Information fields: names as in the travel document, sex, date of birth,
nationality and issuing country as ISO 3166-1 alpha-3, the document, and the person's Evac
reference code as the booking reference.

Column names and seat statuses are always in English: the file is read by airline and
border systems and by people of other countries, not by the staff member's browser.

Document types follow the ICAO/APIS letters where one exists:

    passport          → P
    national_id       → I      (identity card)
    travel_document   → other  (certificate of return and other emergency documents)
    none              → (empty; the person has no document to declare)

Change DOCUMENT_TYPE_CODES if a carrier wants another code for "other" (UN/EDIFACT
PAXLST and US APIS use F for "approved non-standard travel document").
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from rest_framework.request import Request

from evac.audit.models import AccessAction
from evac.audit.services import access_log_record
from evac.flights.models import Booking, Flight
from evac.flights.selectors import manifest_on_board
from evac.flights.services import manifest_export_record
from evac.people.models import Citizen

COLUMNS = (
    "Surname",
    "Given names",
    "Sex",
    "Date of birth",
    "Nationality",
    "Document type",
    "Document number",
    "Issuing country",
    "Document expiry",
    "Booking reference",
    "Seat status",
)

DOCUMENT_TYPE_CODES: dict[str, str] = {
    Citizen.DocumentType.PASSPORT: "P",
    Citizen.DocumentType.NATIONAL_ID: "I",
    Citizen.DocumentType.TRAVEL_DOCUMENT: "other",
    Citizen.DocumentType.NONE: "",
}

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# How each file is named in the access log.
ACCESS_ACTIONS = {
    "csv": AccessAction.MANIFEST_EXPORTED_CSV,
    "xlsx": AccessAction.MANIFEST_EXPORTED_XLSX,
}

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def file_name(flight: Flight, fmt: str) -> str:
    """manifest-PS9004-2022-01-13.csv: the flight number and its local departure date."""
    number = "".join(ch for ch in flight.number if ch.isascii() and ch.isalnum())
    return f"manifest-{number}-{flight.departs_local.date().isoformat()}.{fmt}"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _alpha3(country) -> str:
    return (country.alpha3 or "") if country else ""


def apis_row(booking: Booking) -> list[str]:
    person = booking.citizen
    return [
        person.surname.upper(),
        person.given_names.upper(),
        person.sex,
        _iso(person.date_of_birth),
        _alpha3(person.nationality),
        DOCUMENT_TYPE_CODES.get(person.document_type, "other"),
        person.document_number,
        _alpha3(person.document_issuing_country),
        _iso(person.document_expires_on),
        person.reference,
        str(Booking.Status(booking.status).label),
    ]


def apis_rows(bookings: QuerySet[Booking]) -> Iterator[list[str]]:
    with translation.override("en"):
        for booking in bookings:
            yield apis_row(booking)


def defuse(value: str) -> str:
    """Make a cell read as text in a spreadsheet: a leading quote disarms a formula."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def to_csv(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows([defuse(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def to_xlsx(rows: Iterable[list[str]], *, title: str) -> bytes:
    """A one-sheet workbook, built in write-only mode (streams rows, keeps memory flat).

    Every cell is stored as text: an XLSX string cell is never evaluated, so a name that
    starts with "=" stays a name without the CSV quote, and dates and document numbers
    are not reinterpreted by Excel (leading zeros kept).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel forbids these characters in a sheet name and cuts it at 31 characters.
    return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Manifest"


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would take "=…" for a formula
    return cell


def manifest_download(*, flight: Flight, fmt: str, request: HttpRequest | Request) -> HttpResponse:
    """The manifest file a person downloads, written down as an export (who, when, rows).

    The staff page and the API both hand out the file through this, so the records and the
    headers can't drift apart: the export shown on the manifest page, and the access log's
    entry (from where, and by which channel).
    """
    rows = list(apis_rows(manifest_on_board(flight)))
    content = to_csv(rows) if fmt == "csv" else to_xlsx(rows, title=flight.number)
    manifest_export_record(flight=flight, by=request.user, format=fmt, rows=len(rows))
    access_log_record(
        request=request, operation=flight.operation, action=ACCESS_ACTIONS[fmt], subject=flight
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name(flight, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response

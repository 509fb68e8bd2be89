"""A flight's manifest as the files carriers and border control ask for (APIS fields).

Pure: rows in, bytes out. Nothing here reads the database, checks a role or writes a
record; `flights.manifest_files.manifest_file_export` does that and hands the file to the
page and the API, which only wrap it in a response.

One row per seat that is not cancelled, in the manifest's alphabetical order, with the
Advance Passenger Information fields: names as in the travel document, sex, date of birth,
nationality and issuing country as ISO 3166-1 alpha-3, the document, and the person's Evac
reference code as the booking reference.

Column names and seat statuses are always in English: the file is read by airline and
border systems and by people of other countries, not by the staff member's browser.

Document types follow the ICAO/APIS letters where one exists:

    passport               → P
    national_id            → I      (identity card)
    child_travel_document  → P      (a passport-type booklet for a child)
    birth_certificate      → other  (a child travelling with a parent's passport)
    emergency_certificate  → other  (emergency certificate, certificate of return)
    travel_document        → other
    none                   → (empty; the person has no document to declare)

The last three columns are what the gate needs beyond APIS: the IATA special-service codes
(flights.checks), what the document check found (people.documents), in English, and why a
minor flies without an adult of their household when a coordinator allowed it
(flights.minors), as the coordinator wrote it.

Change DOCUMENT_TYPE_CODES if a carrier wants another code for "other" (UN/EDIFACT
PAXLST and US APIS use F for "approved non-standard travel document").
"""

import csv
import functools
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import translation
from django_countries import countries
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from evac.core.cells import defuse
from evac.flights.checks import PassengerCheck, passenger_checks
from evac.flights.models import Booking, Flight
from evac.people.models import Citizen
from evac.people.privacy import mask_document

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
    "Special service",
    "Document check",
    "Unaccompanied reason",
)
# Columns that hold a date: real dates in the XLSX, ISO 8601 in the CSV and the JSON.
DATE_COLUMNS = frozenset({"Date of birth", "Document expiry"})
# How wide each XLSX column is drawn, in characters (a passport number fits, a long
# double-barrelled name mostly does).
COLUMN_WIDTHS = {
    "Surname": 22,
    "Given names": 26,
    "Sex": 5,
    "Date of birth": 13,
    "Nationality": 12,
    "Document type": 14,
    "Document number": 18,
    "Issuing country": 15,
    "Document expiry": 16,
    "Booking reference": 18,
    "Seat status": 13,
    "Special service": 20,
    "Document check": 40,
    "Unaccompanied reason": 40,
}

DOCUMENT_TYPE_CODES: dict[str, str] = {
    Citizen.DocumentType.PASSPORT: "P",
    Citizen.DocumentType.NATIONAL_ID: "I",
    Citizen.DocumentType.CHILD_TRAVEL_DOCUMENT: "P",
    Citizen.DocumentType.BIRTH_CERTIFICATE: "other",
    Citizen.DocumentType.EMERGENCY_CERTIFICATE: "other",
    Citizen.DocumentType.TRAVEL_DOCUMENT: "other",
    Citizen.DocumentType.NONE: "",
}

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Cell = str | date | None
Row = Sequence[Cell]
# One line of a workbook's first sheet: what, and its value.
Fact = tuple[str, str | int | datetime]


def alpha3(country) -> str:
    """A country field's ISO alpha-3 code ("" when unset), looked up once per country: the
    field's own lookup goes through django-countries' translated list for every cell."""
    return _alpha3_of(country.code) if country else ""


@functools.cache
def _alpha3_of(code: str) -> str:
    return countries.alpha3(code) or ""


def apis_values(booking: Booking, check: PassengerCheck) -> list[Cell]:
    """One passenger's APIS fields, dates as dates (None when unknown), then the special-
    service codes and what the document check found."""
    person = booking.citizen
    return [
        person.surname.upper(),
        person.given_names.upper(),
        person.sex,
        person.date_of_birth,
        alpha3(person.nationality),
        DOCUMENT_TYPE_CODES.get(person.document_type, "other"),
        person.document_number,
        alpha3(person.document_issuing_country),
        person.document_expires_on,
        person.reference,
        str(Booking.Status(booking.status).label),
        " ".join(check.special_service),
        "; ".join(check.issue_labels),
        booking.unaccompanied_reason,
    ]


def apis_records(flight: Flight, bookings: Iterable[Booking]) -> Iterator[list[Cell]]:
    bookings = list(bookings)
    checks = passenger_checks(flight, bookings)
    with translation.override("en"):
        for booking in bookings:
            yield apis_values(booking, checks[booking.pk])


def as_text(row: Row) -> list[str]:
    """A row as the CSV and the JSON carry it: every cell a string, dates in ISO 8601."""
    return [
        "" if cell is None else cell.isoformat() if isinstance(cell, date) else cell for cell in row
    ]


def apis_rows(flight: Flight, bookings: Iterable[Booking]) -> Iterator[list[str]]:
    for values in apis_records(flight, bookings):
        yield as_text(values)


DOCUMENT_NUMBER = COLUMNS.index("Document number")


def masked(row: list[str]) -> list[str]:
    """A row as a reader without Permission.EXPORT_DOCUMENTS sees it: the number masked."""
    return [
        *row[:DOCUMENT_NUMBER],
        mask_document(row[DOCUMENT_NUMBER]),
        *row[DOCUMENT_NUMBER + 1 :],
    ]


def to_csv(rows: Iterable[Row], *, columns: Sequence[str] = COLUMNS) -> bytes:
    """A header row of `columns`, then the rows; a cell a spreadsheet would run as a
    formula is defused (core.cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([defuse(cell) for cell in as_text(row)] for row in rows)
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class FlightFacts:
    """What the XLSX's first sheet says about the flight and the file."""

    number: str
    carrier: str
    route: str
    departs_local: datetime
    passengers: int
    counts: Sequence[tuple[str, int]]  # (what, how many): seats by status, flags
    generated_at: datetime
    generated_by: str

    def lines(self) -> list[Fact]:
        return [
            ("Flight", self.number),
            ("Carrier", self.carrier),
            ("Route", self.route),
            # A real date-time, naive: Excel has no time zones, and this is airport time.
            ("Departs (local time)", self.departs_local.replace(tzinfo=None)),
            ("Passengers in this file", self.passengers),
            *self.counts,
            ("Generated at (UTC)", self.generated_at.replace(tzinfo=None)),
            ("Generated by", self.generated_by),
        ]


class _Formats:
    """The workbook's formats, made once: XlsxWriter interns them per workbook."""

    def __init__(self, book: Workbook) -> None:
        self.bold = book.add_format({"bold": True})
        self.day = book.add_format({"num_format": "yyyy-mm-dd"})
        self.moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})


def to_xlsx(rows: Iterable[Row], *, flight: FlightFacts) -> bytes:
    """The flight's manifest: its facts, then the passengers under COLUMNS."""
    return workbook(
        rows,
        facts_title="Flight",
        facts=flight.lines(),
        sheet=Sheet(title=flight.number, columns=COLUMNS, widths=COLUMN_WIDTHS),
    )


@dataclass(frozen=True)
class Sheet:
    """The passengers' sheet of a manifest workbook: its name, columns and their widths."""

    title: str
    columns: Sequence[str]
    widths: Mapping[str, int]


def workbook(
    rows: Iterable[Row], *, facts_title: str, facts: Sequence[Fact], sheet: Sheet
) -> bytes:
    """Two sheets: the trip (what, when, how many, who made the file) and the passengers.

    Written by XlsxWriter, about 2.5× faster than openpyxl's write-only mode with the same
    layout (bench/manifest_files.py); it holds the workbook in memory until it is written,
    a few megabytes for the largest aircraft. The passengers sheet has the CSV's columns in
    the CSV's order, a bold frozen header row and set widths. Names and numbers are stored
    as text: an XLSX string cell is never evaluated, so a name that starts with "=" stays a
    name without the CSV quote, and document numbers keep their leading zeros. Dates are
    real dates.
    """
    buffer = io.BytesIO()
    book = Workbook(
        buffer,
        # Every value is written as what it is; nothing is guessed from the text.
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    formats = _Formats(book)
    _facts_sheet(book.add_worksheet(facts_title), formats, facts)
    passengers = book.add_worksheet(_sheet_title(sheet.title, taken=facts_title))
    passengers.freeze_panes(1, 0)
    for index, column in enumerate(sheet.columns):
        passengers.set_column(index, index, sheet.widths[column])
        passengers.write_string(0, index, column, formats.bold)
    text, when, day = passengers.write_string, passengers.write_datetime, formats.day
    for number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, date):
                when(number, index, cell, day)
            else:
                text(number, index, cell)
    book.close()
    return buffer.getvalue()


def _facts_sheet(sheet: Worksheet, formats: _Formats, facts: Sequence[Fact]) -> None:
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 40)
    for number, (label, value) in enumerate(facts):
        sheet.write_string(number, 0, label, formats.bold)
        if isinstance(value, datetime):
            sheet.write_datetime(number, 1, value, formats.moment)
        elif isinstance(value, int):
            sheet.write_number(number, 1, value)
        else:
            sheet.write_string(number, 1, value)


def _sheet_title(title: str, *, taken: str) -> str:
    # Excel forbids these characters in a sheet name and cuts it at 31 characters.
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    return cleaned if cleaned and cleaned != taken else "Manifest"

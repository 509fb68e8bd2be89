"""How long the carrier files of a full 400-seat flight take, against its CSV in the same run.

Loads one operation with a 400-passenger flight (households, needs, wheelchairs, a few
expired documents, so the checks and special-service codes have work to do) into a
PostgreSQL database of its own, then times `manifest_file_export` end to end — the query,
the checks, the writer, the export record — for each format, and the XLSX writers alone on
the same rows:

- CSV: the baseline;
- XLSX: XlsxWriter, formats made once per workbook (flights.exports, today's);
- XLSX with XlsxWriter in its constant-memory mode (rows streamed to a temporary file);
- XLSX with openpyxl's write-only mode and styles built once, the same layout (two sheets,
  bold frozen header, widths, text cells, real dates): the writer XlsxWriter replaced;
- XLSX with openpyxl as it was before that: every cell a text cell, no styles or dates;
- XLSX with openpyxl and a style per cell: what building a Font for every header cell and
  a number format object for every date costs, to show why the styles are made once;
- PAXLST: the UN/EDIFACT message built and escaped by pydifact.

    DATABASE_URL=postgres://…/evac_bench .venv/bin/python bench/manifest_files.py

The database named in DATABASE_URL is dropped and made anew. Results go in BENCHMARKS.md.
"""

import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evac.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django

from bench.database import recreate_database

SEATS = 400
ROUNDS = 15


def load(rng: random.Random):
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db.models import F

    from evac.flights.models import Booking, Flight
    from evac.operations.models import Membership, Operation, Role
    from evac.people.models import Citizen, Household
    from evac.places.models import Airport, City

    call_command("migrate", verbosity=0)
    operation = Operation.objects.create(
        name="Bench",
        slug="bench",
        country="KZ",
        starts_on=date(2022, 1, 5),
        embassy_contact_name="EMBASSY OF UKRAINE NUR-SULTAN",
        embassy_contact_phone="+7 7172 55 00 22",
    )
    user = User.objects.create_user("bench-officer")
    Membership.objects.create(user=user, operation=operation, role=Role.OFFICER)
    astana = City.objects.create(name="Nur-Sultan", country="KZ", time_zone="Asia/Almaty")
    kyiv = City.objects.create(name="Kyiv", country="UA", time_zone="Europe/Kyiv")
    nqz = Airport.objects.create(iata_code="NQZ", name="Nur-Sultan", city=astana)
    kbp = Airport.objects.create(iata_code="KBP", name="Boryspil", city=kyiv)
    departs = datetime(2030, 1, 13, 4, 40, tzinfo=UTC)
    flight = Flight.objects.create(
        operation=operation,
        number="PS 9004",
        carrier="Ukraine International Airlines",
        departure_airport=nqz,
        arrival_airport=kbp,
        departs_at=departs,
        arrives_at=departs + timedelta(hours=5),
        seats_total=SEATS,
        status=Flight.Status.OPEN,
    )
    surnames = ["SHEVCHENKO", "KOVALENKO", "BONDARENKO", "O'BRIEN", "MELNYK", "BOIKO"]
    given = ["OLENA", "TARAS", "IRYNA", "ANDRII", "OKSANA", "MYKOLA", "SOFIIA", "DMYTRO"]
    households = Household.objects.bulk_create(
        [Household(operation=operation) for _ in range(SEATS // 4)]
    )
    people = []
    for i in range(SEATS):
        child = i % 4 == 3
        people.append(
            Citizen(
                operation=operation,
                household=households[i // 4],
                surname=rng.choice(surnames),
                given_names=rng.choice(given),
                date_of_birth=date(2018 if child else 1960, 1, 1)
                + timedelta(days=rng.randrange(3000)),
                sex=rng.choice("FM"),
                nationality="UA",
                document_type="child_travel_document" if child else "passport",
                document_number=f"FA{i:06d}",
                document_issuing_country="UA",
                document_expires_on=date(2029 if i % 25 == 0 else 2032, 6, 1),
                current_city=astana,
                medical_need=rng.random() < 0.05,
                reduced_mobility=rng.random() < 0.05,
                wheelchair=rng.choice(["", "", "", "WCHR", "WCHS", "WCHC"]) if i % 10 == 0 else "",
                status="booked",
                source="staff_intake",
            )
        )
    Citizen.objects.bulk_create(people)
    Booking.objects.bulk_create([Booking(flight=flight, citizen=c) for c in people])
    Flight.objects.filter(pk=flight.pk).update(seats_booked=F("seats_total"))
    return Flight.objects.select_related("operation").get(pk=flight.pk), user


def xlsx_as_it_was(rows, *, title: str) -> bytes:
    """The previous writer: write-only, every cell text, one sheet, no styles."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from evac.flights.exports import COLUMNS, as_text

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    sheet.append(COLUMNS)
    for row in rows:
        cells = []
        for value in as_text(row):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_openpyxl(rows, *, facts, title: str) -> bytes:
    """Today's layout with openpyxl's write-only mode, styles built once (the previous
    flights.exports.workbook)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from evac.flights.exports import COLUMN_WIDTHS, COLUMNS

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def cell(sheet, value, *, font=None, number_format=None, text=False):
        made = WriteOnlyCell(sheet, value=value)
        if font:
            made.font = font
        if number_format:
            made.number_format = number_format
        if text:
            made.data_type = "s"
        return made

    first = book.create_sheet(title="Flight")
    first.column_dimensions["A"].width = 28
    first.column_dimensions["B"].width = 40
    for label, value in facts.lines():
        if isinstance(value, datetime):
            value = cell(first, value, number_format="yyyy-mm-dd hh:mm")
        elif not isinstance(value, int):
            value = cell(first, value, text=True)
        first.append([cell(first, label, font=bold), value])
    sheet = book.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = COLUMN_WIDTHS[column]
    sheet.append([cell(sheet, column, font=bold) for column in COLUMNS])
    for row in rows:
        sheet.append(
            [
                None
                if value is None
                else cell(sheet, value, number_format="yyyy-mm-dd")
                if isinstance(value, date)
                else cell(sheet, value, text=True)
                for value in row
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_style_per_cell(rows, *, title: str) -> bytes:
    """Today's layout, but a new Font and number-format cell style object for every cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    from evac.flights.exports import COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = Font(bold=False)
            cell.alignment = Alignment(vertical="top")
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif value is not None:
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with_xlsxwriter(rows, *, facts, title: str, constant_memory: bool) -> bytes:
    """Today's layout written by XlsxWriter: formats made once, every value typed."""
    import xlsxwriter

    from evac.flights.exports import COLUMN_WIDTHS, COLUMNS

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": constant_memory,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet = book.add_worksheet("Flight")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 40)
    for number, (label, value) in enumerate(facts.lines()):
        sheet.write_string(number, 0, label, bold)
        if isinstance(value, datetime):
            sheet.write_datetime(number, 1, value, moment)
        elif isinstance(value, int):
            sheet.write_number(number, 1, value)
        else:
            sheet.write_string(number, 1, value)
    passengers = book.add_worksheet(title)
    passengers.freeze_panes(1, 0)
    for index, column in enumerate(COLUMNS):
        passengers.set_column(index, index, COLUMN_WIDTHS[column])
        passengers.write_string(0, index, column, bold)
    for number, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                passengers.write_datetime(number, index, value, day)
            else:
                passengers.write_string(number, index, str(value))
    book.close()
    return buffer.getvalue()


def timed(work: Callable[[], object]) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    recreate_database()
    django.setup()
    from evac.flights import exports
    from evac.flights.manifest_files import _facts, manifest_file_export
    from evac.flights.selectors import manifest_on_board

    flight, officer = load(random.Random(2022))
    rows = list(exports.apis_records(flight, manifest_on_board(flight)))
    facts = _facts(flight, by=officer, passengers=len(rows))

    def service(fmt: str) -> Callable[[], object]:
        return lambda: manifest_file_export(flight=flight, format=fmt, by=officer)

    results = {
        "CSV (service: query, checks, file, record)": timed(service("csv")),
        "XLSX (service)": timed(service("xlsx")),
        "PAXLST (service)": timed(service("paxlst")),
        "CSV writer alone": timed(lambda: exports.to_csv(rows)),
        "XLSX writer: XlsxWriter, formats made once (today)": timed(
            lambda: exports.to_xlsx(rows, flight=facts)
        ),
        "XLSX writer: XlsxWriter, constant memory": timed(
            lambda: xlsx_with_xlsxwriter(
                rows, facts=facts, title=flight.number, constant_memory=True
            )
        ),
        "XLSX writer: openpyxl write-only, styles once": timed(
            lambda: xlsx_openpyxl(rows, facts=facts, title=flight.number)
        ),
        "XLSX writer: openpyxl, text cells, no styles": timed(
            lambda: xlsx_as_it_was(rows, title=flight.number)
        ),
        "XLSX writer: openpyxl, a style object per cell": timed(
            lambda: xlsx_style_per_cell(rows, title=flight.number)
        ),
    }
    baseline = results["CSV (service: query, checks, file, record)"]
    writer_baseline = results["CSV writer alone"]
    print(f"{SEATS} passengers, median of {ROUNDS} rounds\n")
    print(f"{'file':<48} {'ms':>8} {'× CSV':>7}")
    for name, ms in results.items():
        base = writer_baseline if "writer" in name else baseline
        print(f"{name:<48} {ms:8.1f} {ms / base:7.1f}")


if __name__ == "__main__":
    main()

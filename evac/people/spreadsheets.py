"""Reading the lists that arrive as spreadsheets: CSV and XLSX, as real files hold them.

A file from a hotline or a partner comes with a byte-order mark, `;` between the columns
(Excel in a Ukrainian or Russian locale), a title merged over two header cells, empty rows
at the end, dates as Excel serial numbers or as 07.01.2022, phones as 067… or as a number
Excel turned into 380671234567. This module turns such a file into a header and rows of
plain text in one form (ISO dates, phones with their "+"), and guesses which column holds
which of a person's fields from its header, in English, Ukrainian or Russian. It knows
nothing of the database: people/imports.py registers the rows through people_register.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Bounded cost: a list of 100,000 people in CSV is about 15 MB.
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 100
HOUSEHOLD = "household"
# What a column can be: a person's field, where they stay, or the household they travel
# with (rows with the same value travel together, the first of them is the head).
TARGETS: dict[str, Any] = {
    "surname": gettext_lazy("Surname (Latin)"),
    "given_names": gettext_lazy("Given names (Latin)"),
    "surname_native": gettext_lazy("Surname (native script)"),
    "given_names_native": gettext_lazy("Given names (native script)"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "sex": gettext_lazy("Sex"),
    "nationality": gettext_lazy("Nationality"),
    "document_type": gettext_lazy("Document type"),
    "document_number": gettext_lazy("Document number"),
    "document_issuing_country": gettext_lazy("Document issued by"),
    "document_expires_on": gettext_lazy("Document expires on"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail"),
    "preferred_language": gettext_lazy("Preferred language"),
    "preferred_channel": gettext_lazy("Preferred channel"),
    "medical_need": gettext_lazy("Medical need"),
    "medical_details": gettext_lazy("Medical details"),
    "reduced_mobility": gettext_lazy("Reduced mobility"),
    "pregnant": gettext_lazy("Pregnant"),
    "notes": gettext_lazy("Notes"),
    "current_city": gettext_lazy("Current city"),
    "temporary_address": gettext_lazy("Temporary address"),
    HOUSEHOLD: gettext_lazy("Household (same value = travel together)"),
}
DATE_TARGETS = frozenset({"date_of_birth", "document_expires_on"})
BOOLEAN_TARGETS = frozenset({"medical_need", "reduced_mobility", "pregnant"})

# Headers as lists write them, normalised by _header_key (lower case, letters and digits).
_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "surname": ("surname", "lastname", "familyname", "прізвище", "фамилия", "surnamelatin"),
    "given_names": ("givennames", "firstname", "name", "givenname", "імя", "имя", "firstnames"),
    "surname_native": ("surnamenative", "прізвищеукраїнською", "фамилиякириллицей"),
    "given_names_native": ("givennamesnative", "імяукраїнською", "имякириллицей"),
    "date_of_birth": ("dateofbirth", "dob", "birthdate", "born", "датанародження", "датарождения"),
    "sex": ("sex", "gender", "стать", "пол"),
    "nationality": ("nationality", "citizenship", "громадянство", "гражданство"),
    "document_type": ("documenttype", "типдокумента", "видудокумента", "документ"),
    "document_number": (
        "documentnumber", "passport", "passportnumber", "documentno", "номердокумента",
        "паспорт", "номерпаспорта", "серіяіномерпаспорта", "номерпаспорту",
    ),
    "document_issuing_country": ("issuingcountry", "documentissuedby", "країнавидачі"),
    "document_expires_on": (
        "expires", "documentexpireson", "expirydate", "дійснийдо", "действителендо",
    ),
    "phone": ("phone", "telephone", "mobile", "phonenumber", "телефон", "мобільний", "мобильный"),
    "email": ("email", "mail", "електроннапошта", "электроннаяпочта", "пошта", "почта"),
    "preferred_language": ("language", "preferredlanguage", "мова", "язык"),
    "preferred_channel": ("channel", "preferredchannel", "каналзвязку", "каналсвязи"),
    "medical_need": ("medicalneed", "medical", "медичнапотреба", "медицинскаяпомощь"),
    "medical_details": ("medicaldetails", "health", "здоровя", "здоровье", "діагноз", "диагноз"),
    "reduced_mobility": ("reducedmobility", "mobility", "маломобільний", "маломобильный"),
    "pregnant": ("pregnant", "pregnancy", "вагітність", "беременность"),
    "notes": ("notes", "note", "comment", "comments", "примітки", "примечания", "коментар"),
    "current_city": ("city", "currentcity", "місто", "город"),
    "temporary_address": ("address", "temporaryaddress", "адреса", "адрес", "деперебуває"),
    HOUSEHOLD: ("household", "family", "group", "родина", "сімя", "семья", "група", "группа"),
}  # fmt: skip
_WORD_TARGET = {word: target for target, words in _HEADER_WORDS.items() for word in words}

_TRUE = frozenset({"1", "yes", "y", "true", "x", "+", "так", "да", "т", "д"})
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, with its 1900 leap-year bug absorbed
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


class UnreadableFile(ValueError):
    """A file that is not a list Evac can read; the message says why, for the uploader."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list[str]]
    # Each row's number in the file as a spreadsheet counts it (the header's row is 1 when it
    # is first), blank rows included: what the error file names.
    numbers: list[int] = field(default_factory=list)


def read_sheet(content: bytes, *, file_name: str) -> Sheet:
    """The header and the non-empty rows of a CSV or XLSX file, every cell as text."""
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFile(_("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES >> 20})
    if file_name.lower().endswith(".xlsx") or content[:2] == b"PK":
        table = _xlsx_rows(content)
    else:
        table = _csv_rows(content)
    numbered = [(n, row) for n, row in enumerate(table, start=1) if any(c.strip() for c in row)]
    table = [row for _n, row in numbered]
    if not table:
        raise UnreadableFile(_("The file holds no rows."))
    if len(table) - 1 > MAX_ROWS:
        raise UnreadableFile(_("The file holds more than %(n)d rows.") % {"n": MAX_ROWS})
    headers = _fill_merged(table[0][:MAX_COLUMNS])
    width = len(headers)
    rows = [(row + [""] * width)[:width] for row in table[1:]]
    return Sheet(headers=headers, rows=rows, numbers=[n for n, _row in numbered[1:]])


def _csv_rows(content: bytes) -> list[list[str]]:
    if b"\x00" in content:
        # A picture or other binary file: Windows-1251 would decode it, NULs and all.
        raise UnreadableFile(_("The file is neither UTF-8 nor Windows-1251 text."))
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(_("The file is neither UTF-8 nor Windows-1251 text."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [[cell.strip() for cell in row] for row in rows]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile(_("The file is not a readable XLSX workbook.")) from error
    sheet = book.worksheets[0]
    rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _fill_merged(headers: list[str]) -> list[str]:
    # A title merged over two cells leaves the second empty: give it the first one's
    # name with a number, so both columns can be mapped and told apart.
    filled: list[str] = []
    for index, header in enumerate(headers):
        header = header.strip()
        if not header and filled and filled[-1]:
            header = f"{filled[-1].split(' (')[0]} (2)"
        filled.append(header or f"#{index + 1}")
    return filled


def _header_key(header: str) -> str:
    return "".join(char for char in header.casefold() if char.isalnum())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Column index (as text, for JSON) → target, for the headers Evac recognises."""
    mapping: dict[str, str] = {}
    for index, header in enumerate(headers):
        target = _WORD_TARGET.get(_header_key(header))
        if target and target not in mapping.values():
            mapping[str(index)] = target
    return mapping


def clean_mapping(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    """Only real columns and known targets, each target once."""
    cleaned: dict[str, str] = {}
    for index, target in mapping.items():
        real = str(index).isdigit() and int(index) < len(headers)
        if real and target in TARGETS and target not in cleaned.values():
            cleaned[str(index)] = target
    return cleaned


def mapped_values(row: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """The row's cells under their targets, dates and phones in one form."""
    values: dict[str, str] = {}
    for index, target in mapping.items():
        text = row[int(index)].strip()
        if target in DATE_TARGETS:
            text = read_date(text)
        elif target == "phone":
            text = read_phone(text)
        elif target in BOOLEAN_TARGETS:
            text = "on" if text.casefold() in _TRUE else ""
        values[target] = text
    return values


def read_date(text: str) -> str:
    """An ISO date for what the cell holds, or the text unchanged (the form says it's wrong)."""
    if not text:
        return ""
    if re.fullmatch(r"\d{4,5}(\.0+)?", text):  # an Excel serial date: days since 1899-12-30
        serial = int(float(text))
        if 1 <= serial <= 80_000:
            return (_EXCEL_EPOCH + timedelta(days=serial)).isoformat()
    if match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
        return _iso(year, month, day, text)
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
        return _iso(year, month, day, text)
    return text


def _iso(year: int, month: int, day: int, text: str) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


def read_phone(text: str) -> str:
    """A number as lists hold it; 067… is left to the intake form's local regions."""
    digits = re.sub(r"[^\d+]", "", text.removesuffix(".0"))
    if not digits:
        return text
    if digits.startswith("00"):
        return "+" + digits[2:]
    # Excel stores +380 67 … as the number 380671234567 and drops the "+".
    if not digits.startswith(("+", "0", "8")) and len(digits) >= 11:
        return "+" + digits
    return text

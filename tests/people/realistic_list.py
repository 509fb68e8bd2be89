"""A real-looking list of people to import, made from a fixed seed, with what it must give.

A hotline's, a partner's and a tour operator's lists merged into one spreadsheet, as they
arrive at an embassy: Ukrainian headers, a byte-order mark and `;` (Excel in a Ukrainian
locale), or an XLSX whose full-name title is merged over two cells; dates as 07.01.1984,
as Excel serial numbers and as ISO; phones as +380 67 …, 067 …, and the 380… number Excel
made of them; empty rows at the end. Some people are on it twice under another spelling
(ICAO instead of the Ukrainian passport standard, a typo, surname and given name swapped),
with their Cyrillic name alongside or not; families share a phone and namesakes share a
name, which are not duplicates. A twentieth of the rows are bad, each for one known reason.

The generator knows the truth: which rows are good, why each bad row is bad, and which
pairs of rows are the same person. tests/people/test_realistic_import.py and
bench/imports.py read it.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from evac.people.latin import Standard, transliterate

SURNAMES = [
    "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Шевчук",
    "Поліщук", "Бойко", "Мельник", "Коваль", "Лисенко", "Руденко", "Савченко", "Петренко",
    "Марченко", "Захарченко", "Юрченко", "Яковенко", "Гнатюк", "Щербак", "Кузьменко",
    "Гончаренко", "Литвиненко", "Мороз", "Павленко", "Харченко", "Кириленко", "Романенко",
    "Левченко", "Зінченко", "Іваненко", "Давиденко", "Сидоренко", "Гребенюк", "Ярошенко",
    "Хоменко", "Климченко", "Тимошенко", "Дорошенко", "Остапчук", "Приходько", "Гуменюк",
    "Пономаренко", "Вакуленко", "Сергієнко", "Гаврилюк", "Євтушенко", "Костенко", "Нестеренко",
]  # fmt: skip
GIVEN = [
    "Олена", "Юлія", "Тарас", "Ярослав", "Ірина", "Олексій", "Наталія", "Євген", "Андрій",
    "Марія", "Сергій", "Ганна", "Дмитро", "Катерина", "Юрій", "Оксана", "Віктор", "Людмила",
    "Богдан", "Світлана", "Василь", "Галина", "Максим", "Тетяна", "Олег", "Вікторія",
    "Микола", "Яна", "Григорій", "Христина", "Іван", "Софія", "Петро", "Анастасія", "Роман",
]  # fmt: skip

# The columns, as a Ukrainian hotline titles them (people.spreadsheets guesses them all).
HEADERS = [
    "Прізвище", "Ім'я", "Прізвище українською", "Ім'я українською", "Дата народження",
    "Стать", "Паспорт", "Телефон", "Місто", "Адреса", "Родина", "Примітки",
]  # fmt: skip
MAPPING = {
    "0": "surname", "1": "given_names", "2": "surname_native", "3": "given_names_native",
    "4": "date_of_birth", "5": "sex", "6": "document_number", "7": "phone",
    "8": "current_city", "9": "temporary_address", "10": "household", "11": "notes",
}  # fmt: skip
# In the XLSX a title merged over the two cells of each name stands for both.
XLSX_HEADERS = [
    "ПІБ латиницею", None, "ПІБ українською", None, *HEADERS[4:],
]  # fmt: skip

# Why a bad row is bad, and the words of its reason in the error file (the field's label
# or the rule's words: what staff read to fix the row).
BAD_KINDS = {
    "no such date": "Date of birth",
    "Cyrillic in the Latin name": "Transliterated",
    "unknown city": "Current city",
    "not a phone": "Phone",
    "no surname": "Surname",
    "born in the future": "Date of birth",
}
EXCEL_EPOCH = date(1899, 12, 30)
LATEST_BIRTH = date(2020, 1, 1)
BAD_SHARE = 0.05
REPEATED_SHARE = 0.15  # of people, on the list a second time
FAMILY_SHARE = 0.08  # of people, with a family member on the same phone
NAMESAKE_SHARE = 0.03  # of people, with someone of the same name born the same year


@dataclass
class Row:
    cells: list[str]
    person: int  # who this row is (several rows may be one person)
    bad: str = ""  # a key of BAD_KINDS, or "" for a good row
    number: int = 0  # its number in the file (the header is row 1)


@dataclass
class RealisticList:
    rows: list[Row]
    trailing_empty: int = 3
    # Pairs of row numbers that are one person (good rows only), smaller number first.
    true_pairs: set[tuple[int, int]] = field(default_factory=set)

    @property
    def good(self) -> list[Row]:
        return [row for row in self.rows if not row.bad]

    @property
    def bad(self) -> list[Row]:
        return [row for row in self.rows if row.bad]

    def csv_bytes(self) -> bytes:
        """As Excel saves it in a Ukrainian locale: a BOM, `;`, CRLF, empty rows at the end."""
        empty = ";" * (len(HEADERS) - 1)
        lines = [";".join(HEADERS), *(";".join(_quoted(c) for c in r.cells) for r in self.rows)]
        lines += [empty] * self.trailing_empty
        return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()

    def xlsx_bytes(self) -> bytes:
        """A workbook with the names' titles merged over two cells, dates as Excel holds
        them (serial numbers where the list had them, the rest as typed), phones that Excel
        turned into numbers, and formatted empty rows at the end."""
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(XLSX_HEADERS)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
        sheet.merge_cells(start_row=1, start_column=3, end_row=1, end_column=4)
        for row in self.rows:
            sheet.append([_excel_value(index, cell) for index, cell in enumerate(row.cells)])
        last = len(self.rows) + 1
        for offset in range(1, self.trailing_empty + 1):
            sheet.cell(row=last + offset, column=1).value = ""
            sheet.cell(row=last + offset, column=5).number_format = "DD.MM.YYYY"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _quoted(cell: str) -> str:
    return f'"{cell}"' if ";" in cell or '"' in cell else cell


def _excel_value(index: int, cell: str) -> object:
    if index in (4, 7) and cell.isdigit() and not cell.startswith("0"):
        return int(cell)  # a serial date, or a phone Excel read as a number
    return cell


def generate(rows: int = 10_000, *, seed: int = 17, cities=("Almaty", "Алмати")) -> RealisticList:
    """`rows` rows (and a few more, so that a household is never cut) of about
    rows × (1 − BAD_SHARE) good and rows × BAD_SHARE bad ones."""
    rng = random.Random(seed)
    maker = _Maker(rng, cities)
    out: list[Row] = []
    bad_rows = round(rows * BAD_SHARE)
    while len(out) < rows - bad_rows:
        out.extend(maker.person_rows())
    out.extend(maker.bad_row(kind) for kind in _bad_kinds(rng, bad_rows))
    # The lists were pasted together: a person's second row is anywhere, a household's
    # rows stay next to each other.
    units = _units(out)
    rng.shuffle(units)
    ordered = [row for unit in units for row in unit]
    for number, row in enumerate(ordered, start=2):
        row.number = number
    by_person: dict[int, list[int]] = {}
    for row in ordered:
        if not row.bad:
            by_person.setdefault(row.person, []).append(row.number)
    pairs = {
        (numbers[i], numbers[j])
        for numbers in by_person.values()
        for i in range(len(numbers))
        for j in range(i + 1, len(numbers))
    }
    return RealisticList(rows=ordered, true_pairs=pairs)


def _units(rows: list[Row]) -> list[list[Row]]:
    units: list[list[Row]] = []
    households: dict[str, list[Row]] = {}
    for row in rows:
        key = row.cells[10]
        if key:
            if key not in households:
                households[key] = []
                units.append(households[key])
            households[key].append(row)
        else:
            units.append([row])
    return units


def _bad_kinds(rng: random.Random, count: int) -> list[str]:
    kinds = list(BAD_KINDS)
    return [kinds[index % len(kinds)] for index in rng.sample(range(count * 7), count)]


class _Maker:
    def __init__(self, rng: random.Random, cities) -> None:
        self.rng = rng
        self.cities = cities
        self.person = 0
        self.household = 0
        self.taken: set[tuple[str, str, date]] = set()  # Latin names and birth, as typed
        self.documents: set[str] = set()
        self.phones: set[str] = set()

    # One person, and the rows that come with them -----------------------------------------

    def person_rows(self) -> list[Row]:
        rng = self.rng
        surname, given, born = self._new_name()
        self.person += 1
        me = self.person
        phone = self._new_phone() if rng.random() < 0.9 else ""
        latin = transliterate(f"{surname} {given}", standard=Standard.UKRAINIAN).split(" ", 1)
        native = (surname, given) if rng.random() < 0.5 else ("", "")
        document = self._new_document() if rng.random() < 0.8 else ""
        rows = [self._row(me, latin, native, born, document, phone)]
        if rng.random() < FAMILY_SHARE and phone:
            # Someone of the family on the same phone (a child or a spouse): not a duplicate.
            self.household += 1
            key = f"F{self.household}"
            rows[0].cells[10] = key
            child = self._family_member(surname, born)
            if child is not None:
                self.person += 1
                child_latin = transliterate(
                    f"{child[0]} {child[1]}", standard=Standard.UKRAINIAN
                ).split(" ", 1)
                child_row = self._row(self.person, child_latin, ("", ""), child[2], "", phone)
                child_row.cells[10] = key
                rows.append(child_row)
        if rng.random() < NAMESAKE_SHARE:
            # Another person of the same name born the same year: not a duplicate.
            namesake = self._namesake(surname, given, born)
            if namesake is not None:
                self.person += 1
                rows.append(
                    self._row(self.person, latin, ("", ""), namesake, self._new_document(), "")
                )
        if rng.random() < REPEATED_SHARE:
            again = self._again(me, surname, given, latin, born, phone)
            if again is not None:
                rows.append(again)
        return rows

    def _again(self, me, surname, given, latin, born, phone) -> Row | None:
        """The same person on another list: no passport there, another spelling."""
        rng = self.rng
        style = rng.randrange(3)
        native = (surname, given) if rng.random() < 0.6 else ("", "")
        if style == 0:  # the ICAO spelling a Russian-speaking operator types
            other = transliterate(f"{surname} {given}", standard=Standard.ICAO).split(" ", 1)
        elif style == 1:  # a typo: one letter doubled or lost
            other = [self._typo(latin[0]), latin[1]] if rng.random() < 0.5 else [
                latin[0], self._typo(latin[1])
            ]  # fmt: skip
        else:  # surname and given name in each other's columns
            other = [latin[1], latin[0]]
            native = (native[1], native[0])
        key = (other[0].casefold(), other[1].casefold(), born)
        if key in self.taken:
            return None  # ICAO writes this name as the passport does: not another spelling
        self.taken.add(key)
        same_phone = phone if rng.random() < 0.7 else ""
        return self._row(me, other, native, born, "", same_phone)

    def _typo(self, word: str) -> str:
        at = self.rng.randrange(1, len(word) - 1)
        if self.rng.random() < 0.5:
            return word[:at] + word[at] + word[at:]
        return word[:at] + word[at + 1 :]

    def _family_member(self, surname: str, born: date) -> tuple[str, str, date] | None:
        for _attempt in range(5):
            given = self.rng.choice(GIVEN)
            apart = timedelta(days=self.rng.randrange(365 * 18, 365 * 35))
            # A child if the person is old enough to have one, else a parent.
            child_born = born + apart if born + apart < LATEST_BIRTH else born - apart
            latin = transliterate(f"{surname} {given}", standard=Standard.UKRAINIAN).split(" ", 1)
            key = (latin[0].casefold(), latin[1].casefold(), child_born)
            if key not in self.taken:
                self.taken.add(key)
                return surname, given, child_born
        return None

    def _namesake(self, surname: str, given: str, born: date) -> date | None:
        latin = transliterate(f"{surname} {given}", standard=Standard.UKRAINIAN).split(" ", 1)
        for _attempt in range(5):
            other = date(born.year, 1, 1) + timedelta(days=self.rng.randrange(365))
            key = (latin[0].casefold(), latin[1].casefold(), other)
            if other != born and key not in self.taken:
                self.taken.add(key)
                return other
        return None

    def _new_name(self) -> tuple[str, str, date]:
        while True:
            surname, given = self.rng.choice(SURNAMES), self.rng.choice(GIVEN)
            born = date(1940, 1, 1) + timedelta(days=self.rng.randrange(365 * 66))
            latin = transliterate(f"{surname} {given}", standard=Standard.UKRAINIAN).split(" ", 1)
            key = (latin[0].casefold(), latin[1].casefold(), born)
            if key not in self.taken:
                self.taken.add(key)
                return surname, given, born

    def _new_document(self) -> str:
        while True:
            number = f"F{self.rng.choice('ABCEKMNPT')}{self.rng.randrange(10**6):06d}"
            if number not in self.documents:
                self.documents.add(number)
                return number

    def _new_phone(self) -> str:
        while True:
            digits = f"{self.rng.choice(('50', '63', '66', '67', '68', '73', '93', '97', '99'))}"
            digits += f"{self.rng.randrange(10**7):07d}"
            if digits not in self.phones:
                self.phones.add(digits)
                return digits

    # Writing a row as the lists do -------------------------------------------------------

    def _row(self, me, latin, native, born, document, phone, *, bad: str = "") -> Row:
        rng = self.rng
        cells = [
            latin[0],
            latin[1],
            native[0],
            native[1],
            self._date_text(born),
            rng.choice(("", "ч", "ж", "M", "F")),
            document,
            self._phone_text(phone) if phone else "",
            rng.choice(self.cities),
            rng.choice(("", "", "вул. Абая 10, кв. 5", "готель Казахстан, 1205")),
            "",
            rng.choice(("", "", "", "з гарячої лінії", "список туроператора")),
        ]
        return Row(cells=cells, person=me, bad=bad)

    def _date_text(self, born: date) -> str:
        form = self.rng.randrange(3)
        if form == 0:
            return born.strftime("%d.%m.%Y")
        if form == 1:
            return str((born - EXCEL_EPOCH).days)  # an Excel serial date
        return born.isoformat()

    def _phone_text(self, digits: str) -> str:
        form = self.rng.randrange(4)
        if form == 0:
            return f"+380 {digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}"
        if form == 1:
            return f"0{digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}"
        if form == 2:
            return f"380{digits}"  # what Excel makes of +380…: a number, no "+"
        return f"0{digits}"

    def bad_row(self, kind: str) -> Row:
        surname, given, born = self._new_name()
        self.person += 1
        latin = transliterate(f"{surname} {given}", standard=Standard.UKRAINIAN).split(" ", 1)
        row = self._row(self.person, latin, ("", ""), born, "", self._new_phone(), bad=kind)
        if kind == "no such date":
            row.cells[4] = f"31.02.{born.year}"
        elif kind == "Cyrillic in the Latin name":
            row.cells[0] = surname
        elif kind == "unknown city":
            row.cells[8] = "Атлантида"
        elif kind == "not a phone":
            row.cells[7] = "12-34"
        elif kind == "no surname":
            row.cells[0] = ""
        elif kind == "born in the future":
            row.cells[4] = "01.01.2099"
        return row

"""No cell of a CSV file Evac writes runs as a formula, however the spreadsheet splits it.

Excel splits a CSV at the list separator of the computer's locale: "," in some, ";" in
Ukrainian and Russian ones, whatever the file was written with; a text reader may split at
tabs, and a lenient one at any line break. A name typed on the portal or a cell of an
imported list such as `x;=cmd|' /C calc'!A0` is one quoted cell for a "," reader, but a
";" reader starts a new cell at "=". Every piece each of those splits gives must read as
text (OWASP, CSV injection): this walks every CSV export with such cells.
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.core.cells import defuse
from evac.flights.services import booking_create
from evac.flights.transfers import transfer_book
from tests.api.client import op_url, token_client
from tests.factories import make_citizen
from tests.flights.factories import make_transfer
from tests.people.test_imports import HEADER, csv_bytes, run

pytestmark = pytest.mark.django_db

# Where a spreadsheet or a text reader may start a new cell or row inside what Evac wrote
# as one cell.
BREAKS = re.compile(r"[,;\t\r\n]")
RUNS = ("=", "+", "-", "@")

# What someone could type into a name or an imported cell, each hiding a formula behind a
# separator, a quote, spaces or a line break.
INJECTIONS = (
    "x;=cmd|' /C calc'!A0",
    "x,=1+2",
    'x;"=1+2"',
    "x; @SUM(1)",
    "x;;-1+2",
    "\r=1+2",
    "x\n+1",
    "x\t=1",
    " =1+2",
)


def cells_that_run(text: str) -> list[str]:
    """The pieces of `text` that a spreadsheet would run, split at any separator or line
    break, with the spaces and quotes a lenient reader drops before a cell's first sign."""
    pieces = (re.sub(r'^[\s"]+', "", piece) for piece in BREAKS.split(text))
    return [piece for piece in pieces if piece.startswith(RUNS)]


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_defused_cell_runs_nowhere_a_spreadsheet_may_split_it(value):
    assert cells_that_run(value), "the attack itself would run"

    safe = defuse(value)

    assert cells_that_run(safe) == []
    assert safe.replace("'", "") == value.replace("'", "")  # only apostrophes added


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("\nLF", "'\nLF"),
        ("x;=1", "x;'=1"),
        ('x;"=1"', 'x;\'"=1"'),
        ("KOVAL; IVAN", "KOVAL; IVAN"),
        ("Almaty, ul. Abaya 12-14", "Almaty, ul. Abaya 12-14"),
    ],
)
def test_defuse_adds_an_apostrophe_only_where_a_cell_would_start_a_formula(value, safe):
    assert defuse(value) == safe


@pytest.fixture
def attackers(operation, almaty):
    """One person per injection, in the surname and in the given names."""
    return [
        make_citizen(operation, almaty, surname=value, given_names=value) for value in INJECTIONS
    ]


def _assert_safe(content: bytes, attackers_shown: int) -> None:
    text = content.decode("utf-8-sig")
    assert cells_that_run(text) == []
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + attackers_shown  # each still one row, read back with ","


def test_the_manifest_csv_page_and_api(client, operation, flight, attackers, alice):
    for person in attackers:
        booking_create(flight=flight, citizen=person, by=EVAC)
    client.force_login(alice)

    page = client.get(reverse("flights:export", args=[operation.slug, flight.pk, "csv"]))
    api = token_client(alice).get(op_url(operation, f"flights/{flight.pk}/manifest.csv"))

    assert page.status_code == api.status_code == 200
    _assert_safe(page.content, len(attackers))
    _assert_safe(api.content, len(attackers))


def test_the_transfer_csv(client, operation, almaty, nur_sultan, attackers, alice):
    train = make_transfer(operation, almaty, nur_sultan, seats=len(attackers))
    for person in attackers:
        transfer_book(transfer=train, citizen=person, by=EVAC)
    client.force_login(alice)

    response = client.get(reverse("transfers:export", args=[operation.slug, train.pk, "csv"]))

    assert response.status_code == 200
    _assert_safe(response.content, len(attackers))


def test_the_error_file_of_an_import(client, operation, bob):
    """The list's own header and cells come back as typed, and the rows were refused (no
    such date), so each attack is in the error file."""

    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    header = f"{HEADER};{quoted(INJECTIONS[0])}"
    rows = [
        f"{quoted(value)};{quoted(value)};31.02.1980;FB00000{n};+38067111229{n};Almaty;;"
        f"{quoted(value)}"
        for n, value in enumerate(INJECTIONS)
    ]
    done = run(operation, bob, content=csv_bytes(rows=rows, header=header))
    assert done.rows_error == len(INJECTIONS)
    client.force_login(bob)

    response = client.get(reverse("people:import_errors", args=[operation.slug, done.pk]))

    assert response.status_code == 200
    _assert_safe(response.content, len(INJECTIONS))

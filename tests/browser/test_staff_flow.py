"""The staff's day in a real browser, as the issue tells it.

An officer registers a household from a phone call and sees the waiting count grow; a
coordinator books the household on the Nur-Sultan flight, starts boarding, marks one
passenger boarded and the other a no-show at the gate, and exports the manifest the carrier
gets. Every step goes through the pages and the JavaScript a member of staff uses.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Locator, Page, expect

from evac.operations.models import Role
from evac.places.models import Airport
from tests import factories
from tests.browser.pages import field, go_to, log_in, log_out, messages, waiting_tile

pytestmark = pytest.mark.browser

PASSWORD = "cold-steppe-wind-2022"
# The columns carriers and border control read (APIS); a change here is a change for them.
APIS_COLUMNS = [
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
]


@dataclass(frozen=True)
class Person:
    surname: str
    given_names: str
    born: str
    sex: str
    passport: str


HOUSEHOLD = [
    Person("Bondarenko", "Taras", "1981-06-02", "Male", "FB 204 611"),
    Person("Bondarenko", "Oksana", "1984-11-19", "Female", "FB 204 612"),
]


@pytest.fixture
def stranded(live_server):
    """Almaty's airport is shut; a flight from Nur-Sultan to Kyiv takes bookings."""
    operation = factories.make_operation()
    almaty = factories.make_city("Almaty", "KZ", "Asia/Almaty")
    nur_sultan = factories.make_city("Nur-Sultan", "KZ", "Asia/Almaty")
    kyiv = factories.make_city("Kyiv", "UA", "Europe/Kyiv")
    factories.make_airport("ALA", almaty, status=Airport.Status.SUSPENDED)
    nqz = factories.make_airport("NQZ", nur_sultan)
    kbp = factories.make_airport("KBP", kyiv)
    for username, role in (("officer", Role.OFFICER), ("coordinator", Role.COORDINATOR)):
        user = factories.make_member(username, operation, role)
        user.set_password(PASSWORD)
        user.save()
    for _ in range(3):
        factories.make_citizen(operation, almaty)
    factories.make_citizen(operation, nur_sultan)
    flight = factories.make_flight(operation, nqz, kbp, seats=6, number="PS 7001")
    return SimpleNamespace(operation=operation, flight=flight)


def fill_person(person_form: Locator, person: Person) -> None:
    field(person_form, "Surname").fill(person.surname)
    field(person_form, "Given names").fill(person.given_names)
    field(person_form, "Date of birth").fill(person.born)
    field(person_form, "Sex").select_option(label=person.sex)
    field(person_form, "Document number").fill(person.passport)


def test_an_officer_registers_a_household_and_a_coordinator_boards_and_exports_it(
    page: Page, stranded
):
    flight = stranded.flight
    surname = HOUSEHOLD[0].surname.upper()
    head, partner = (f"{surname} {person.given_names}" for person in HOUSEHOLD)

    # The officer takes a call and registers a couple stranded in Almaty.
    log_in(page, "officer", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(stranded.operation.name)
    waiting_before = int(waiting_tile(page).inner_text())
    assert waiting_before == 4

    go_to(page, "Citizens")
    page.get_by_role("link", name="Register people").click()
    fill_person(page.get_by_role("region", name="Person 1: head of household"), HOUSEHOLD[0])
    page.get_by_role("button", name="Add another person").click()
    fill_person(page.get_by_role("region", name="Person 2"), HOUSEHOLD[1])
    field(page, "Current city").select_option(label="Almaty")
    field(page, "Temporary address").fill("Hotel Kazakhstan, Dostyk Ave 52/2")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(messages(page)).to_contain_text(f"Registered 2 people: {head} (")

    go_to(page, "Dashboard")
    expect(waiting_tile(page)).to_have_text(str(waiting_before + len(HOUSEHOLD)))
    log_out(page)

    # The coordinator books the household, as one unit, on the flight from Nur-Sultan.
    log_in(page, "coordinator", PASSWORD)
    go_to(page, "Flights")
    page.get_by_role("link", name=flight.number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Flight {flight.number}")
    page.get_by_role("link", name="Add passengers from the waiting list").click()
    household_row = page.get_by_role("row").filter(has_text=surname)
    expect(household_row).to_have_count(1)
    expect(household_row.get_by_role("cell").nth(3)).to_have_text("2")  # Seats
    household_row.get_by_label(re.compile(rf"^Household: {head} .*; {partner} ")).check()
    page.get_by_role("button", name="Book the ticked people").click()
    expect(messages(page)).to_have_text(f"Booked 2 people on {flight.number}.")
    expect(page.get_by_role("row").filter(has_text=surname)).to_have_count(0)

    page.get_by_role("link", name="Back to the manifest").click()
    passengers = page.get_by_role("row").filter(has_text=surname)
    expect(passengers).to_have_count(2)
    expect(passengers.filter(has_text="Booked")).to_have_count(2)

    # Boarding starts through the status action and its confirmation page.
    page.get_by_role("region", name="Change status").get_by_role(
        "link", name="Start boarding"
    ).click()
    expect(
        page.get_by_role("heading", name=f"Change {flight.number} to “Boarding”?")
    ).to_be_visible()
    expect(page.get_by_text("2 passengers can be marked boarded or no-show")).to_be_visible()
    page.get_by_role("button", name="Start boarding").click()
    expect(messages(page)).to_have_text(f"Flight {flight.number} is now boarding.")

    # At the gate: one tap each, answered by fetch, with the row and counts updated in place.
    page.get_by_role("link", name="Boarding mode").click()
    counts = page.locator("#gate-counts")
    expect(counts).to_have_text(re.compile(r"boarded\s+0\s+no-show\s+0\s+not yet\s+2\s+of\s+2"))
    page.evaluate("window.stillTheSamePage = true")  # a reload would drop it

    seats = page.get_by_role("list", name="Passengers").get_by_role("listitem")
    head_seat = seats.filter(has_text=head)
    partner_seat = seats.filter(has_text=partner)
    head_seat.get_by_role("button", name="Boarded").click()
    expect(head_seat.locator("[data-seat-label]")).to_have_text("Boarded")
    expect(head_seat.get_by_role("button", name="Boarded", pressed=True)).to_be_visible()
    expect(counts).to_have_text(re.compile(r"boarded\s+1\s+no-show\s+0\s+not yet\s+1\s+of\s+2"))
    assert page.evaluate("window.stillTheSamePage") is True, "the tap reloaded the page"

    partner_seat.get_by_role("button", name="No-show").click()
    expect(partner_seat.locator("[data-seat-label]")).to_have_text("No-show")
    expect(counts).to_have_text(re.compile(r"boarded\s+1\s+no-show\s+1\s+not yet\s+0\s+of\s+2"))
    expect(page.locator("#gate-announce")).to_have_text(f"{partner}: No-show")
    assert page.evaluate("window.stillTheSamePage") is True, "the tap reloaded the page"

    # The taps were saved, not only drawn: a fresh page shows them too.
    page.reload()
    expect(seats.filter(has_text=head).locator("[data-seat-label]")).to_have_text("Boarded")
    expect(seats.filter(has_text=partner).locator("[data-seat-label]")).to_have_text("No-show")

    # The manifest for the carrier: the APIS columns and exactly the household's two seats.
    page.get_by_role("link", name=f"Manifest of {flight.number}").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename == "manifest-PS7001-2030-01-13.csv"
    with Path(download.path()).open(newline="", encoding="utf-8") as file:
        header, *rows = list(csv.reader(file))
    assert header == APIS_COLUMNS
    assert sorted((row[0], row[1], row[6], row[10]) for row in rows) == [
        (surname, "OKSANA", "FB204612", "No-show"),
        (surname, "TARAS", "FB204611", "Boarded"),
    ]

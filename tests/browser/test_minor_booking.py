"""A child is not booked without an adult of the household: the coordinator sees the refusal
and the field for the reason, and with a reason the child is booked and the manifest says why.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from evac.core.actor import EVAC
from evac.operations.models import Role
from evac.people.models import Citizen
from evac.people.services import citizen_set_status, household_register
from tests import factories
from tests.browser.pages import go_to, log_in, messages

pytestmark = pytest.mark.browser

PASSWORD = "cold-steppe-wind-2022"
REASON = "travels with her grandmother Halyna Moroz, seat beside her"


@pytest.fixture
def child_alone(live_server):
    """A mother decided to stay in Nur-Sultan; her 9-year-old daughter waits for a seat."""
    operation = factories.make_operation()
    nur_sultan = factories.make_city("Nur-Sultan", "KZ", "Asia/Almaty")
    kyiv = factories.make_city("Kyiv", "UA", "Europe/Kyiv")
    nqz = factories.make_airport("NQZ", nur_sultan)
    kbp = factories.make_airport("KBP", kyiv)
    user = factories.make_member("coordinator", operation, Role.COORDINATOR)
    user.set_password(PASSWORD)
    user.save()
    household = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            {
                "surname": "Moroz",
                "given_names": name,
                "date_of_birth": born,
                "sex": "F",
                "nationality": "UA",
                "document_type": kind,
                "document_number": number,
                "current_city": nur_sultan,
            }
            for name, born, kind, number in (
                ("Iryna", date(1990, 7, 7), Citizen.DocumentType.PASSPORT, "FM100200"),
                ("Dana", date(2020, 9, 1), Citizen.DocumentType.CHILD_TRAVEL_DOCUMENT, "ED55"),
            )
        ],
    )
    mother = household.members.get(given_names="Iryna")
    citizen_set_status(citizen=mother, status=Citizen.Status.DECIDED_TO_STAY, by=EVAC)
    flight = factories.make_flight(operation, nqz, kbp, seats=6, number="PS 7101")
    return flight


def test_a_child_is_booked_without_an_adult_only_with_a_reason_the_manifest_shows(
    page: Page, child_alone
):
    flight = child_alone
    log_in(page, "coordinator", PASSWORD)
    expect(page.locator("[data-households-alone]")).to_have_attribute("data-households-alone", "1")

    go_to(page, "Flights")
    page.get_by_role("link", name=flight.number, exact=True).click()
    page.get_by_role("link", name="Add passengers from the waiting list").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "1 household has children with no adult of theirs to travel with"
    )
    child_row = page.get_by_role("row").filter(has_text="MOROZ Dana")

    # Without a reason, the service refuses and says how to get through.
    child_row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Book the ticked people").click()
    expect(messages(page)).to_contain_text(
        "MOROZ Dana would be on PS 7101 without an adult of their household"
    )
    reason = page.get_by_label(re.compile(r"^Why a child may fly without an adult"))
    expect(reason).to_be_visible()

    # With the coordinator's reason, the child is booked.
    page.get_by_role("row").filter(has_text="MOROZ Dana").get_by_role("checkbox").check()
    reason.fill(REASON)
    page.get_by_role("button", name="Book the ticked people").click()
    expect(messages(page)).to_have_text(f"Booked 1 person on {flight.number}.")

    page.get_by_role("link", name="Back to the manifest").click()
    passenger = page.get_by_role("row").filter(has_text="MOROZ Dana")
    expect(passenger).to_contain_text(f"Without an adult of the household: {REASON}")

    go_to(page, "Dashboard")
    expect(page.get_by_role("link", name=re.compile(r"^1 seat given to a child"))).to_be_visible()

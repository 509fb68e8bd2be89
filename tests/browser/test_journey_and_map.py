"""A coordinator plans the group train from Almaty and the flight from Nur-Sultan on the
staff pages, books a household waiting in Almaty (whose airport is suspended) on both from
the flight's waiting list, and finds them on the dashboard's map: the train and the flight
drawn, and Almaty's circle, hatched as needing a transfer, opening its waiting list."""

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Flight, GroundTransfer, TransferSeat
from evac.operations.models import Role
from evac.people.models import Citizen
from evac.people.services import household_register
from evac.places.models import Airport, City
from tests import factories
from tests.browser.pages import go_to, log_in, messages

pytestmark = pytest.mark.browser

PASSWORD = "long-train-to-astana-2022"
ALMATY_TIME = ZoneInfo("Asia/Almaty")


def _located(name: str, country: str, zone: str, lat: float, lon: float) -> City:
    city = factories.make_city(name, country, zone)
    City.objects.filter(pk=city.pk).update(latitude=lat, longitude=lon)
    return city


@pytest.fixture
def almaty_waits(live_server):
    operation = factories.make_operation()
    almaty = _located("Almaty", "KZ", "Asia/Almaty", 43.24, 76.95)
    nur_sultan = _located("Nur-Sultan", "KZ", "Asia/Almaty", 51.17, 71.45)
    kyiv = _located("Kyiv", "UA", "Europe/Kyiv", 50.45, 30.52)
    factories.make_airport("ALA", almaty, status=Airport.Status.SUSPENDED)
    factories.make_airport("NQZ", nur_sultan)
    factories.make_airport("KBP", kyiv)
    user = factories.make_member("coordinator", operation, Role.COORDINATOR)
    user.set_password(PASSWORD)
    user.save()
    household = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            {
                "surname": "Tkachenko",
                "given_names": name,
                "date_of_birth": born,
                "sex": sex,
                "nationality": "UA",
                "document_type": Citizen.DocumentType.PASSPORT,
                "document_number": number,
                "current_city": almaty,
                "phone": "+77011234567",
            }
            for name, born, sex, number in (
                ("Andrii", date(1984, 5, 2), "M", "FT300400"),
                ("Maryna", date(1987, 11, 20), "F", "FT300401"),
                ("Sofiia", date(2012, 3, 9), "F", "FT300402"),
            )
        ],
    )
    factories.make_citizen(operation, almaty, surname="Lysenko", given_names="Petro")
    return operation, household, almaty


def _local(moment) -> str:
    """As a datetime-local field takes it, in Almaty's (and Nur-Sultan's) time."""
    return moment.astimezone(ALMATY_TIME).strftime("%Y-%m-%dT%H:%M")


def test_a_coordinator_plans_a_train_and_a_flight_books_a_household_on_both_and_sees_the_map(
    page: Page, almaty_waits
):
    operation, household, almaty = almaty_waits
    day = (now().astimezone(ALMATY_TIME) + timedelta(days=2)).replace(second=0, microsecond=0)
    train_leaves = day.replace(hour=17, minute=20)
    flight_leaves = (day + timedelta(days=1)).replace(hour=10, minute=40)
    log_in(page, "coordinator", PASSWORD)

    # The train, Almaty → Nur-Sultan, overnight.
    go_to(page, "Flights")
    page.get_by_role("link", name="Transfers", exact=True).click()
    page.get_by_role("link", name="New transfer").click()
    page.get_by_label("Mode", exact=True).select_option("rail")
    page.get_by_label("Train or bus number").fill("12")
    page.get_by_label("Operator").fill("Kazakhstan Temir Zholy")
    page.get_by_label("From", exact=True).select_option(label="Almaty")
    page.get_by_label("Departs (local time)").fill(_local(train_leaves))
    page.get_by_label("To", exact=True).select_option(label="Nur-Sultan")
    page.get_by_label("Arrives (local time)").fill(_local(train_leaves + timedelta(hours=12)))
    page.get_by_label("Meeting point", exact=True).fill("Almaty-2 station, main hall")
    page.get_by_label("Seats", exact=True).fill("40")
    page.get_by_role("button", name="Plan the transfer").click()
    expect(messages(page)).to_contain_text("Rail 12 Almaty → Nur-Sultan is planned.")

    # The flight from Nur-Sultan the next morning, opened for booking.
    go_to(page, "Flights")
    page.get_by_role("link", name="New flight").click()
    page.get_by_label("Flight number").fill("PS 9104")
    page.get_by_label("Carrier").fill("Ukraine International Airlines")
    page.get_by_label("From", exact=True).select_option(
        str(Airport.objects.get(iata_code="NQZ").pk)
    )
    page.get_by_label("Departs (local time)").fill(_local(flight_leaves))
    page.get_by_label("To", exact=True).select_option(str(Airport.objects.get(iata_code="KBP").pk))
    arrives = flight_leaves.astimezone(ZoneInfo("Europe/Kyiv")) + timedelta(hours=5, minutes=30)
    page.get_by_label("Arrives (local time)").fill(arrives.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Seats for evacuees").fill("60")
    page.get_by_role("button", name="Create the flight").click()
    expect(messages(page)).to_contain_text("Flight PS 9104 created.")
    page.get_by_role("link", name="Open for booking").click()
    page.get_by_role("button", name="Open for booking").click()

    # From the flight's waiting list: the household in Almaty goes by the train.
    page.get_by_role("link", name="Add passengers from the waiting list").click()
    row = page.get_by_role("row").filter(has_text="TKACHENKO Andrii")
    expect(row).to_contain_text("Needs a transfer: Rail 12 Almaty → Nur-Sultan, 40 seats left")
    row.get_by_role("button", name=re.compile("^Book with the transfer")).click()
    expect(messages(page)).to_contain_text("Booked 3 on PS 9104 with Rail 12 Almaty → Nur-Sultan.")

    flight = Flight.objects.get(operation=operation, number="PS 9104")
    train = GroundTransfer.objects.get(operation=operation)
    assert (flight.seats_booked, train.seats_booked) == (3, 3)
    legs = TransferSeat.objects.filter(transfer=train, is_active=True)
    assert {leg.connects_to.flight_id for leg in legs} == {flight.pk}
    assert {leg.citizen.household_id for leg in legs} == {household.pk}

    # The dashboard's map: the train and the flight ahead, and the one still waiting in
    # Almaty, who needs a transfer.
    go_to(page, "Dashboard")
    the_map = page.locator("svg.operation-map")
    expect(the_map).to_be_visible()
    expect(the_map.locator("g.map-transfer")).to_contain_text("Rail 12")
    expect(the_map.locator("g.map-flight")).to_contain_text("PS 9104")
    expect(the_map.locator("g.map-airport-suspended")).to_contain_text("ALA")
    circle = the_map.locator("a.map-city-transfer")
    expect(circle).to_have_count(1)
    expect(circle).to_contain_text("Almaty 1")
    expect(circle).to_contain_text("needs a transfer")
    circle.click()
    expect(page).to_have_url(re.compile(rf"status=waiting&city={almaty.pk}$"))
    expect(page.get_by_role("row").filter(has_text="LYSENKO Petro")).to_be_visible()

"""The January 2022 demo in a real browser, and the pictures of it in docs/screenshots/.

The pages are checked for their part of the story on every run. The pictures go to a
temporary folder unless EVAC_SCREENSHOTS=1 is set (`make screenshots`), which writes them
into docs/screenshots/: they hold random reference codes and the real clock, so writing them
on every run would leave the work tree changed after each test run.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from evac.demo.scenario import load_demo
from tests.browser.pages import field, go_to, log_in, messages

pytestmark = pytest.mark.browser

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_PASSWORD = "pw"
TABLET = {"width": 820, "height": 1180}  # a tablet held upright at the gate


@pytest.fixture
def demo(live_server):
    return load_demo(DEMO_PASSWORD)


@pytest.fixture
def screenshot(tmp_path):
    folder = DOCS_SCREENSHOTS if os.environ.get("EVAC_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str, *, full_page: bool = True) -> None:
        # No caret or focus ring from the last field typed in.
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.screenshot(path=folder / name, full_page=full_page, animations="disabled")
        assert (folder / name).stat().st_size > 10_000, f"{name} came out empty"

    return take


def test_the_demo_pages_show_the_kazakhstan_week(page: Page, demo, screenshot):
    log_in(page, "coordinator", DEMO_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan, January 2022")
    expect(page.get_by_role("link", name="116 waiting in Almaty")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^PS 900[46] manifest$"))).to_have_count(2)
    screenshot(page, "dashboard.png")

    go_to(page, "Citizens")
    expect(page.get_by_role("status").filter(has_text="people")).to_have_text(
        f"{demo.registered} people"
    )
    screenshot(page, "citizen-list.png")

    # The intake form with a mother and her son typed in, as an officer fills it on a call.
    page.get_by_role("link", name="Register people").click()
    mother = page.get_by_role("region", name="Person 1: head of household")
    field(mother, "Surname").fill("Shevchenko")
    field(mother, "Given names").fill("Iryna")
    field(mother, "Date of birth").fill("1988-04-23")
    field(mother, "Sex").select_option(label="Female")
    field(mother, "Document number").fill("FE 318 227")
    field(mother, "Phone").fill("8 701 555 12 34")
    page.get_by_role("button", name="Add another person").click()
    son = page.get_by_role("region", name="Person 2")
    field(son, "Surname").fill("Shevchenko")
    field(son, "Given names").fill("Maksym")
    field(son, "Date of birth").fill("2015-09-02")
    field(son, "Sex").select_option(label="Male")
    field(son, "Document number").fill("FE 318 228")
    field(page, "Current city").select_option(label="Almaty")
    field(page, "Temporary address").fill("Hotel Kazakhstan, Dostyk Ave 52/2, room 714")
    screenshot(page, "intake.png")

    go_to(page, "Flights")
    page.get_by_role("link", name="PS 9004", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Flight PS 9004")
    expect(page.get_by_text("12 of 60 seats booked")).to_be_visible()
    screenshot(page, "manifest.png")

    # The morning of 13 January: boarding starts, and the gate works on a tablet. The 16
    # January flight has only one household booked; this one shows a gate in full flow.
    page.get_by_role("region", name="Change status").get_by_role(
        "link", name="Start boarding"
    ).click()
    page.get_by_role("button", name="Start boarding").click()
    expect(messages(page)).to_have_text("Flight PS 9004 is now boarding.")
    page.get_by_role("link", name="Boarding mode").click()
    page.set_viewport_size(TABLET)
    counts = page.locator("#gate-counts")
    expect(counts).to_have_text(re.compile(r"boarded\s+0\s+no-show\s+0\s+not yet\s+12\s+of\s+12"))
    seats = page.get_by_role("list", name="Passengers").get_by_role("listitem")
    for n in (0, 1, 3):
        seats.nth(n).get_by_role("button", name="Boarded").click()
        expect(seats.nth(n).locator("[data-seat-label]")).to_have_text("Boarded")
    seats.nth(2).get_by_role("button", name="No-show").click()
    expect(seats.nth(2).locator("[data-seat-label]")).to_have_text("No-show")
    expect(counts).to_have_text(re.compile(r"boarded\s+3\s+no-show\s+1\s+not yet\s+8\s"))
    screenshot(page, "boarding.png", full_page=False)


PHONE = {"width": 360, "height": 740}


def test_the_demos_public_page_shows_the_replay_and_the_schedule(page: Page, demo, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(f"/p/{demo.operation.slug}/")
    expect(page.get_by_role("note")).to_contain_text("replayed in the present")
    for flight in demo.open_flights:
        expect(page.get_by_text(flight.number)).to_be_visible()
    expect(page.get_by_text("No flights are planned yet")).to_have_count(0)
    screenshot(page, "portal-demo.png")

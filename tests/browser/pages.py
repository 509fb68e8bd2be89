"""What a member of staff does on every visit, in the words the pages use."""

import re

from playwright.sync_api import Locator, Page, expect


def log_in(page: Page, username: str, password: str) -> None:
    """Through the real login form; lands on the dashboard of one's only operation."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Staff log in")).to_be_visible()


def go_to(page: Page, section: str) -> None:
    """Follow one of the header's links: Dashboard, Citizens or Flights."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=section).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def field(scope: Page | Locator, label: str) -> Locator:
    """The form field labelled `label`, whether or not the label marks it required ("*")."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def waiting_tile(page: Page) -> Locator:
    """The dashboard's "Waiting" number (its link reads "<n> Waiting")."""
    return page.get_by_role("link", name=re.compile(r"^\d+ Waiting$")).locator(".tile-count")


def messages(page: Page) -> Locator:
    """The notes a page shows after a form was sent ("Registered …", "Booked …")."""
    return page.locator("main > .messages")

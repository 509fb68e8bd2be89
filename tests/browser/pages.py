"""What a member of staff does on every visit, in the words the pages use."""

import base64
import re

from django.contrib.auth.models import User
from django_otp.oath import totp
from playwright.sync_api import Locator, Page, expect

from evac.accounts.services import backup_codes_renew


def log_in(page: Page, username: str, password: str) -> None:
    """Through the real login form and the second step; lands on the dashboard of one's only
    operation. The first time, the second step is set up as a person does: the key read off
    the page into an "authenticator" (here, TOTP computed from it)."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).not_to_have_text("Staff log in")
    if heading.inner_text() == "Set up your second step":
        set_up_second_step(page)
    elif heading.inner_text() == "Second step":
        page.get_by_label("Code").fill(backup_code_for(username))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def set_up_second_step(page: Page) -> list[str]:
    """Scan-free set-up: type the shown key's current code; returns the backup codes shown."""
    expect(page.get_by_alt_text("QR code holding the key below")).to_be_visible()
    key = page.locator("#secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(authenticator_code(key))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    codes = page.locator("#backup-codes li").all_inner_texts()
    page.get_by_role("link", name="I've kept them: continue").click()
    return codes


def authenticator_code(key: str) -> str:
    """What an authenticator app given this base32 key shows now."""
    return f"{totp(base64.b32decode(key)):06d}"


def backup_code_for(username: str) -> str:
    # A backup code rather than the authenticator's: its code works once per 30 seconds, and
    # a test may log the same person in twice within that.
    return backup_codes_renew(User.objects.get(username=username))[0]


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Staff log in")).to_be_visible()


def go_to(page: Page, section: str) -> None:
    """Follow one of the header's links: Dashboard, Citizens or Flights."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=section).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def field(scope: Page | Locator, label: str) -> Locator:
    """The form field labelled `label`, whether or not the label marks it required ("*") or
    says when it is needed ("(unless …)")."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*| \(unless .+\))?$"))


def waiting_tile(page: Page) -> Locator:
    """The dashboard's "Waiting" number (its link reads "<n> Waiting")."""
    return page.get_by_role("link", name=re.compile(r"^\d+ Waiting$")).locator(".tile-count")


def messages(page: Page) -> Locator:
    """The notes a page shows after a form was sent ("Registered …", "Booked …")."""
    return page.locator("main > .messages")

"""A new crisis in minutes, all through Evac's own pages: headquarters open an operation and
invite its coordinator; the coordinator follows the e-mailed link, sets a password and the
second step, adds an officer, adds Kazakhstan's places with a click each, and opens a flight.

The invitation goes out as a worker would send it (the service a worker calls, in this
process), into Django's in-memory mailbox; the link is read from the e-mail, as its
recipient reads it, never from a page.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from evac.core.clock import now
from evac.operations.models import Headquarters, Membership, Operation, Role
from tests import factories
from tests.browser.pages import field, go_to, log_in, log_out, messages, set_up_second_step
from tests.portal.conftest import send_all_pending

pytestmark = pytest.mark.browser

PASSWORD = "steppe-at-three-am"
NEW_PASSWORD = "Karaganda-by-dawn-2026"
LINK = re.compile(r"https?://[^\s]+/accounts/invitation/#[\w-]+")


@pytest.fixture
def headquarters(live_server, settings):
    """Hanna at the ministry's headquarters, a member of no operation; Kyiv's airport, where
    flights land, is already in Evac (places are shared by all operations)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EVAC_PUBLIC_URL = live_server.url
    cache.clear()
    hanna = User.objects.create_user("hanna", password=PASSWORD)
    Headquarters.objects.create(user=hanna)
    factories.make_airport("KBP", factories.make_city("Kyiv", "UA", "Europe/Kyiv"))
    yield hanna
    cache.clear()


def add_member(page: Page, username: str, role: str, email: str, first: str, last: str) -> None:
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add to this operation"))
    field(form, "Username").fill(username)
    field(form, "Role").select_option(label=role)
    field(form, "E-mail (for a new account)").fill(email)
    field(form, "Given name").fill(first)
    field(form, "Surname").fill(last)
    form.get_by_role("button", name="Add to this operation").click()


def pick_airport(page: Page, label: str, code: str) -> None:
    """Choose the airport whose option starts with its code, as a person scanning the list."""
    select = field(page, label)
    select.select_option(label=select.locator("option", has_text=f"{code} — ").inner_text())


def invitation_link(to: str) -> str:
    send_all_pending()
    sent = [message for message in mail.outbox if message.to == [to]]
    assert sent, [message.to for message in mail.outbox]
    found = LINK.search(sent[-1].body)
    assert found, sent[-1].body
    return found.group(0)


@pytest.mark.django_db(transaction=True)
def test_headquarters_open_an_operation_and_its_invited_coordinator_sets_it_up(
    page: Page, headquarters
):
    # 1. Headquarters open the operation from the staff home, then invite its coordinator.
    log_in(page, "hanna", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("All operations")
    page.get_by_role("link", name="Open an operation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open an operation")
    field(page, "Country").select_option(label="Kazakhstan")
    field(page, "Name").fill("Kazakhstan, Karaganda 2026")
    field(page, "Short name").fill("kz-2026")
    field(page, "Hotline phone").fill("+380442000000")
    field(page, "Hotline e-mail").fill("consul@mfa.example")
    field(page, "Advice to citizens").fill("Stay where you are and keep your phone on.")
    field(page, "Embassy contact for manifests").fill("EMBASSY OF UKRAINE ASTANA")
    field(page, "Embassy contact phone for manifests").fill("+77172000001")
    page.get_by_label("Українська").check()
    page.get_by_label("Русский").check()
    field(page, "Phone regions").fill("UA, KZ")
    page.get_by_role("button", name="Open the operation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    expect(messages(page)).to_contain_text("Kazakhstan, Karaganda 2026 is open.")
    operation = Operation.objects.get(slug="kz-2026")
    assert operation.country.code == "KZ" and operation.languages == ["uk", "ru"]

    add_member(page, "olha", "Coordinator", "olha@mfa.example", "Olha", "Bondar")
    expect(messages(page)).to_contain_text(
        "olha is now a member of this operation as Coordinator. "
        "An invitation to set a password went to olha@mfa.example."
    )
    olha_row = page.get_by_role("row").filter(has_text="Olha Bondar")
    expect(olha_row).to_contain_text("Invited: the link works until")
    expect(olha_row).to_contain_text("Not set up")
    log_out(page)

    # 2. The coordinator opens the link from her e-mail, sets a password and her second step.
    page.goto(invitation_link("olha@mfa.example"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    # The code went from the address into the form; the address bar no longer shows it.
    assert "#" not in page.url
    field(page, "New password").fill(NEW_PASSWORD)
    field(page, "The same password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your second step")
    set_up_second_step(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan, Karaganda 2026")
    expect(page.get_by_role("link", name=re.compile(r"^olha"))).to_contain_text("Coordinator")

    # 3a. She adds an officer.
    go_to(page, "Staff")
    add_member(page, "taras", "Consular officer", "taras@mfa.example", "Taras", "Melnyk")
    expect(messages(page)).to_contain_text(
        "taras is now a member of this operation as Consular officer."
    )
    expect(page.get_by_role("row").filter(has_text="Taras Melnyk")).to_contain_text(
        "Consular officer"
    )
    assert Membership.objects.get(operation=operation, user__username="taras").role == Role.OFFICER
    assert LINK.search(invitation_link("taras@mfa.example"))

    # 3b. Karaganda's city and airport, with a click each on the Places page.
    go_to(page, "Dashboard")
    page.get_by_role("link", name="Places", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Places")
    expect(page.get_by_role("heading", name="Main cities of Kazakhstan")).to_be_visible()
    page.get_by_role("button", name="Add Karagandy").click()
    expect(messages(page)).to_contain_text("is added.")
    expect(page.get_by_role("row").filter(has_text="Karagandy").first).to_contain_text("Added as")
    page.get_by_role("button", name="Add KGF").click()
    expect(messages(page)).to_contain_text("is added.")
    expect(page.locator("#airport-KGF")).to_contain_text("Open")

    # 3c. A flight from Karaganda to Kyiv, created and then opened for booking.
    go_to(page, "Flights")
    page.get_by_role("link", name="New flight").click()
    departs = (now() + timedelta(days=2)).replace(hour=9, minute=30)
    arrives = departs + timedelta(hours=6)
    field(page, "Flight number").fill("PS 9101")
    field(page, "Carrier").fill("Ukraine International")
    pick_airport(page, "From", "KGF")
    field(page, "Departs (local time)").fill(departs.strftime("%Y-%m-%dT%H:%M"))
    pick_airport(page, "To", "KBP")
    field(page, "Arrives (local time)").fill(arrives.strftime("%Y-%m-%dT%H:%M"))
    field(page, "Seats for evacuees").fill("180")
    page.get_by_role("button", name="Create the flight").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Flight PS 9101")
    expect(page.locator(".fl-status").first).to_have_text("Planned")

    page.get_by_role("region", name="Change status").get_by_role(
        "link", name="Open for booking"
    ).click()
    expect(
        page.get_by_role("heading", name="Change PS 9101 to “Open for booking”?")
    ).to_be_visible()
    page.get_by_role("button", name="Open for booking").click()
    expect(messages(page)).to_have_text("Flight PS 9101 is now open for booking.")
    expect(page.locator(".fl-status").first).to_have_text("Open for booking")

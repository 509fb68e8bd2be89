"""A citizen on a phone (360×740): registers, looks up, confirms the seat, then withdraws.

The one-time codes are read from the file SMS backend. No Celery worker runs here: the test
sends the pending messages itself with the same service a worker calls (notification_send),
synchronously, once the page has asked for them. Pictures go to docs/screenshots/ only with
EVAC_SCREENSHOTS=1.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from evac.core.actor import EVAC
from evac.flights.models import Booking
from evac.flights.services import booking_create
from evac.people.models import Citizen
from tests.browser.conftest import TIMEOUT_MS
from tests.factories import make_city
from tests.portal.conftest import last_code, send_all_pending

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def phone(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sms(settings, tmp_path):
    from evac.notifications import sms as sms_module
    from evac.notifications.sms import FileSmsBackend

    settings.EVAC_SMS_BACKEND = "evac.notifications.sms.FileSmsBackend"
    settings.EVAC_SMS_FILE = tmp_path / "sms-outbox.log"
    sms_module._backend.cache_clear()
    yield FileSmsBackend(settings.EVAC_SMS_FILE)
    sms_module._backend.cache_clear()


@pytest.fixture
def shot(tmp_path):
    folder = DOCS_SCREENSHOTS if os.environ.get("EVAC_SCREENSHOTS") == "1" else tmp_path

    def take(page: Page, name: str) -> None:
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.screenshot(path=folder / name, full_page=True, animations="disabled")

    return take


def test_a_citizen_registers_confirms_her_seat_and_then_withdraws(phone: Page, sms, shot):
    from django.core.cache import cache

    from tests.factories import make_airport, make_flight, make_operation

    cache.clear()
    operation = make_operation(
        hotline_phone="+7 717 000 00 00",
        advice="Stay at your place of temporary residence and keep in touch.",
    )
    almaty = make_city("Almaty", "KZ", "Asia/Almaty")
    nqz = make_airport("NQZ", make_city("Nur-Sultan", "KZ", "Asia/Almaty"))
    kbp = make_airport("KBP", make_city("Kyiv", "UA", "Europe/Kyiv"))
    flight = make_flight(operation, nqz, kbp, seats=10)

    page = phone
    page.goto(f"/p/{operation.slug}/")
    expect(page.get_by_text("Stay at your place of temporary residence")).to_be_visible()
    expect(page.get_by_text(flight.number)).to_be_visible()
    shot(page, "portal-home.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="I am stranded: register").click()
    page.locator('[name="people-0-surname"]').fill("Shevchenko")
    page.locator('[name="people-0-given_names"]').fill("Iryna")
    page.locator('[name="people-0-date_of_birth"]').fill("1988-04-23")
    page.locator('[name="people-0-sex"]').select_option("F")
    page.locator('[name="people-0-document_number"]').fill("FE 318 227")
    page.locator('[name="people-0-phone"]').fill("+7 701 555 12 34")
    page.locator('[name="current_city"]').select_option(label=almaty.name)
    page.locator('[name="temporary_address"]').fill("Hotel Kazakhstan, room 714")
    page.get_by_label(re.compile("I agree")).check()
    shot(page, "portal-register.png")
    page.get_by_role("button", name="Register", exact=True).click()
    # The page answers a new and an already known person alike; the reference code comes
    # by SMS to the phone given.
    expect(page.get_by_role("heading", name="Thank you: we have your registration")).to_be_visible()
    iryna = Citizen.objects.get(surname="Shevchenko")
    shot(page, "portal-registered.png")
    send_all_pending()
    assert any(iryna.reference in line["text"] for line in sms.read())

    booking = booking_create(flight=flight, citizen=iryna, by=EVAC)  # staff give her a seat

    page.get_by_role("link", name="Check my status and flight").click()
    page.get_by_label("Reference code").fill(iryna.reference)
    page.get_by_label("Date of birth").fill("1988-04-23")
    page.get_by_role("button", name="Show my status").click()
    expect(page.get_by_role("heading", name=f"Your flight {flight.number}")).to_be_visible()
    shot(page, "portal-status.png")

    page.get_by_role("link", name="Confirm my seat").click()
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_role("status")).to_contain_text("We sent you a code")
    send_all_pending()
    page.get_by_label("The 6-digit code we sent you").fill(last_code(sms))
    shot(page, "portal-code.png")
    page.get_by_role("button", name="Confirm my seat").click()
    expect(page.get_by_role("status")).to_contain_text("is confirmed")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    page.get_by_role("link", name="I decided to stay").click()
    page.get_by_role("button", name="Send me a code").click()
    send_all_pending()
    page.get_by_label("The 6-digit code we sent you").fill(last_code(sms))
    page.get_by_role("button", name="I decided to stay").click()
    expect(page.get_by_role("status")).to_contain_text("The embassy sees your decision")
    booking.refresh_from_db()
    flight.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and flight.seats_left == 10

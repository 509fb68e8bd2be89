"""Seats free up on a flight, the coordinator offers them, the person next in line accepts
on the portal with the one-time code from her SMS, and the flight page shows her booked.

The messages go to the file SMS backend, as a provider would get them; the test sends the
pending ones itself with the service a worker calls (tests/portal/conftest.py), and reads
the code from that file, never from a staff page.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Booking, SeatOffer
from evac.flights.services import booking_create
from evac.operations.models import Role
from evac.people.models import Citizen
from evac.people.services import citizen_set_status
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.pages import log_in, messages
from tests.portal.conftest import last_code, send_all_pending

pytestmark = pytest.mark.browser

PASSWORD = "cold-steppe-wind-2022"
PHONE = {"width": 360, "height": 740}


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
def full_flight(live_server):
    """A flight whose two seats are booked, and Olena Melnyk next on the waiting list."""
    from django.core.cache import cache

    cache.clear()
    operation = factories.make_operation()
    almaty = factories.make_city("Almaty", "KZ", "Asia/Almaty")
    nqz = factories.make_airport("NQZ", factories.make_city("Nur-Sultan", "KZ", "Asia/Almaty"))
    kbp = factories.make_airport("KBP", factories.make_city("Kyiv", "UA", "Europe/Kyiv"))
    user = factories.make_member("coordinator", operation, Role.COORDINATOR)
    user.set_password(PASSWORD)
    user.save()
    flight = factories.make_flight(
        operation, nqz, kbp, seats=2, number="PS 7102", departs_at=now() + timedelta(days=2)
    )
    for surname in ("Bondar", "Tkachenko"):
        seated = factories.make_citizen(operation, almaty, surname=surname)
        booking_create(flight=flight, citizen=seated, by=EVAC)
    olena = factories.make_citizen(
        operation, almaty, surname="Melnyk", given_names="Olena",
        date_of_birth=date(1984, 2, 29), phone="+77015550101",
    )  # fmt: skip
    factories.make_citizen(operation, almaty, surname="Later", phone="+77015550102")
    return flight, olena


def test_a_freed_seat_is_offered_accepted_on_the_portal_and_booked(
    page: Page, browser: Browser, live_server, full_flight, sms
):
    flight, olena = full_flight
    # Someone decides to stay: their seat frees up.
    leaving = Booking.objects.get(flight=flight, citizen__surname="Bondar").citizen
    citizen_set_status(citizen=leaving, status=Citizen.Status.DECIDED_TO_STAY, by=EVAC)

    log_in(page, "coordinator", PASSWORD)
    page.goto(f"/ops/{flight.operation.slug}/flights/{flight.pk}/")
    offers = page.locator("section.fl-offers")
    expect(offers).to_contain_text("1 seat free, not offered.")
    offers.get_by_role("button", name="Offer free seats to the waiting list now").click()
    expect(messages(page)).to_contain_text("1 offer made.")
    expect(page.locator("section.fl-offers")).to_contain_text("MELNYK Olena")
    (offer,) = SeatOffer.objects.filter(flight=flight, status="offered")
    assert offer.citizen_id == olena.pk

    # The offer reaches her phone; she answers on the portal.
    send_all_pending()
    assert any(flight.number in line["text"] and line["to"] == olena.phone for line in sms.read())
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    phone.set_default_timeout(TIMEOUT_MS)
    portal = phone.new_page()
    portal.goto(f"/p/{flight.operation.slug}/status/")
    portal.get_by_label("Reference code").fill(olena.reference)
    portal.get_by_label("Date of birth").fill("1984-02-29")
    portal.get_by_role("button", name="Show my status").click()
    held = f"A seat is held for you on flight {flight.number}"
    expect(portal.get_by_role("heading", name=held)).to_be_visible()
    portal.get_by_role("link", name="Accept the seats offered").click()
    portal.get_by_role("button", name="Send me a code").click()
    expect(portal.get_by_role("status")).to_contain_text("We sent you a code")
    send_all_pending()
    portal.get_by_label("The 6-digit code we sent you").fill(last_code(sms))
    portal.get_by_role("button", name="Accept the seats offered").click()
    expect(portal.get_by_role("heading", name=f"Your flight {flight.number}")).to_be_visible()
    phone.close()

    # The coordinator's flight page shows her on board and the offer accepted.
    page.reload()
    manifest = page.locator("table").filter(has_text="MELNYK Olena").first
    expect(manifest).to_be_visible()
    expect(page.locator("section.fl-offers")).to_contain_text("0 seats free, not offered.")
    accepted = page.locator("section.fl-offers .fl-counts div").filter(has_text="Accepted")
    expect(accepted.locator("dd")).to_have_text("1")
    booking = Booking.objects.get(citizen=olena, is_active=True)
    assert booking.flight_id == flight.pk
    offer.refresh_from_db()
    assert (offer.status, offer.decided_via) == ("accepted", "portal")
    # The page never showed the code.
    assert not re.search(rf"\b{last_code(sms)}\b", page.content())

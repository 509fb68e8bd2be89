"""What people are told, seen the way staff see it and received the way a phone gets it.

A coordinator cancels a seat on the manifest, and the person gets an SMS saying so; a
coordinator gives a flight an earlier report time, books a person, and the last reminder
arrives before that time and names it. No Celery worker runs here: the test sends what is
due with the service a worker calls, and moves the sender's clock (its `now` seam) instead
of waiting.
"""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.services import booking_create
from evac.notifications import delivery
from evac.notifications.models import Notification
from evac.operations.models import Role
from evac.places.models import Airport
from tests import factories
from tests.browser.pages import go_to, log_in, messages
from tests.portal.conftest import send_all_pending

pytestmark = pytest.mark.browser

PASSWORD = "cold-steppe-wind-2022"
N = Notification


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
def stranded(live_server, sms):
    """Olena waits in Almaty; a flight from Nur-Sultan leaves in eight hours."""
    operation = factories.make_operation()
    almaty = factories.make_city("Almaty", "KZ", "Asia/Almaty")
    nur_sultan = factories.make_city("Nur-Sultan", "KZ", "Asia/Almaty")
    kyiv = factories.make_city("Kyiv", "UA", "Europe/Kyiv")
    factories.make_airport("ALA", almaty, status=Airport.Status.SUSPENDED)
    nqz = factories.make_airport("NQZ", nur_sultan)
    kbp = factories.make_airport("KBP", kyiv)
    coordinator = factories.make_member("coordinator", operation, Role.COORDINATOR)
    coordinator.set_password(PASSWORD)
    coordinator.save()
    olena = factories.make_citizen(
        operation,
        almaty,
        surname="Koval",
        given_names="Olena",
        phone="+77011234567",
        preferred_language="uk",
    )
    departs_at = (now() + timedelta(hours=8)).replace(second=0, microsecond=0)
    flight = factories.make_flight(
        operation, nqz, kbp, seats=6, number="PS 7001", departs_at=departs_at
    )
    return SimpleNamespace(operation=operation, flight=flight, olena=olena, sms=sms)


def open_manifest(page: Page, flight) -> None:
    go_to(page, "Flights")
    page.get_by_role("link", name=flight.number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Flight {flight.number}")


def outbox_row(page: Page, kind: str):
    go_to(page, "Messages")
    return page.get_by_role("row").filter(has_text=kind)


def test_a_seat_cancelled_on_the_manifest_reaches_the_person_by_sms(page: Page, stranded):
    flight, olena = stranded.flight, stranded.olena
    booking_create(flight=flight, citizen=olena, by=EVAC)
    send_all_pending()  # the booking confirmation went out long ago

    log_in(page, "coordinator", PASSWORD)
    open_manifest(page, flight)
    page.get_by_role("link", name=f"Cancel seat of {olena}").click()
    expect(page.get_by_text("They are told at once, by SMS or e-mail")).to_be_visible()
    page.get_by_role("button", name="Cancel the seat").click()
    expect(messages(page)).to_be_visible()

    row = outbox_row(page, "Seat cancelled")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(str(olena))
    expect(row).to_contain_text("Pending")

    send_all_pending()  # what a worker does once the page has asked for it
    page.reload()
    expect(page.get_by_role("row").filter(has_text="Seat cancelled")).to_contain_text("Sent")
    told = stranded.sms.read()[-1]
    assert told["to"] == "+77011234567"
    assert f"Ваше місце на рейс {flight.number}" in told["text"]
    assert "скасовано. Ви знову в списку очікування" in told["text"]
    assert olena.reference in told["text"]


def test_the_last_reminder_arrives_before_the_flights_own_report_time(
    page: Page, stranded, monkeypatch
):
    flight, olena = stranded.flight, stranded.olena
    report_at = flight.departs_at - timedelta(hours=4)
    report_local = flight.departure_airport.local_time(report_at).strftime("%H:%M")

    # The coordinator asks passengers to come four hours early, then books Olena.
    log_in(page, "coordinator", PASSWORD)
    open_manifest(page, flight)
    page.get_by_role("link", name="Edit flight").click()
    page.get_by_label("Be at the airport (minutes before departure)").fill("240")
    page.get_by_role("button", name="Save the flight").click()
    expect(page.locator(".fl-facts")).to_contain_text(
        re.compile(rf"Be at the airport by\s*{report_local}")
    )
    page.get_by_role("link", name="Add passengers from the waiting list").click()
    page.get_by_role("row").filter(has_text=str(olena)).get_by_role("checkbox").check()
    page.get_by_role("button", name="Book the ticked people").click()
    expect(messages(page)).to_have_text(f"Booked 1 person on {flight.number}.")

    # Eight hours ahead, only the reminder 3 hours before the report time is still to come.
    (reminder,) = N.objects.filter(citizen=olena, kind=N.Kind.FLIGHT_REMINDER)
    assert reminder.due_at == report_at - timedelta(hours=3)
    due_local = olena.current_city.local_time(reminder.due_at).strftime("%H:%M")
    row = outbox_row(page, "Flight reminder")
    expect(row).to_contain_text(due_local)
    expect(row).to_contain_text("Pending")

    # Nothing goes before its time; at its time it goes, well before the report time.
    assert reminder.pk not in delivery.notifications_due_for_dispatch(limit=100)
    arrival = reminder.due_at + timedelta(minutes=1)
    monkeypatch.setattr(delivery, "now", lambda: arrival)
    due = delivery.notifications_due_for_dispatch(limit=100)
    assert reminder.pk in due
    for notification_id in due:
        delivery.notification_send(notification_id=notification_id)

    reminder.refresh_from_db()
    assert reminder.status == N.Status.SENT and reminder.sent_at < report_at
    page.reload()
    expect(page.get_by_role("row").filter(has_text="Flight reminder")).to_contain_text("Sent")
    (told,) = [line for line in stranded.sms.read() if "Нагадування" in line["text"]]
    assert f"Будьте в аеропорту до {report_local}" in told["text"]

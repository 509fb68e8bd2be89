"""The second step in a real browser: set up at the first login, asked for at the next."""

import pytest
from playwright.sync_api import Page, expect

from evac.operations.models import Role
from tests import factories
from tests.browser.pages import log_out, set_up_second_step

pytestmark = pytest.mark.browser

PASSWORD = "night-train-to-kyiv"


@pytest.fixture
def coordinator(live_server):
    operation = factories.make_operation()
    user = factories.make_member("coordinator", operation, Role.COORDINATOR)
    user.set_password(PASSWORD)
    user.save()
    return operation


def _password(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_first_login_sets_up_an_authenticator_and_the_next_asks_for_a_code(page: Page, coordinator):
    _password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your second step")
    # The QR code is an image the browser could load and draw under the page's policy.
    qr = page.get_by_alt_text("QR code holding the key below")
    expect(qr).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=qr.element_handle())

    codes = set_up_second_step(page)

    assert len(codes) == 10
    expect(page.get_by_role("heading", level=1)).to_have_text(coordinator.name)
    log_out(page)

    _password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Second step")
    # (The authenticator's next code would do; it changes every 30 seconds, and the one just
    # used is refused — tests/accounts/ checks both.) A backup code lets the coordinator in.
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(coordinator.name)
    expect(page.locator("main > .messages")).to_contain_text("Backup code used: 9 left.")

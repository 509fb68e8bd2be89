"""The staff pages' language switch in a real browser: English by default, Ukrainian on
request, kept from one visit to the next in the language cookie."""

import pytest
from playwright.sync_api import Page, expect

from evac.operations.models import Role
from tests import factories
from tests.browser.pages import log_in

pytestmark = pytest.mark.browser

PASSWORD = "spring-rain-over-almaty"


@pytest.fixture
def coordinator(live_server):
    operation = factories.make_operation()
    user = factories.make_member("coordinator", operation, Role.COORDINATOR)
    user.set_password(PASSWORD)
    user.save()
    return operation


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_switches_the_staff_pages_to_ukrainian_and_back(page: Page, coordinator):
    log_in(page, "coordinator", PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()

    page.get_by_label("Language").select_option("uk")
    page.get_by_role("button", name="Change").click()

    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("link", name="Огляд")).to_be_visible()
    expect(page.get_by_role("button", name="Вийти")).to_be_visible()
    page.reload()  # the choice stays: the cookie says Ukrainian, the browser English
    expect(page.locator("html")).to_have_attribute("lang", "uk")

    page.get_by_label("Мова").select_option("en")
    page.get_by_role("button", name="Змінити").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

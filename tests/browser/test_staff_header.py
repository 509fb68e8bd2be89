"""The staff header fits on one row at 1366 px (the commonest laptop screen) in every staff
language, with the longest header there is: a coordinator's, with two operations."""

import pytest
from playwright.sync_api import Browser, expect

from evac.operations.models import Role
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.pages import log_in

pytestmark = pytest.mark.browser

PASSWORD = "spring-rain-over-almaty"
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def coordinator(live_server):
    operation = factories.make_operation()
    user = factories.make_member("coordinator", operation, Role.COORDINATOR)
    other = factories.make_operation("Lebanon, October 2024", slug="lebanon-2024")
    factories.make_member("coordinator", other, Role.COORDINATOR)
    user.set_password(PASSWORD)
    user.save()
    return operation


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_the_staff_header_is_one_row_at_1366_pixels(
    browser: Browser, live_server, coordinator, language, tmp_path
):
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    log_in(page, "coordinator", PASSWORD)
    page.goto(f"/ops/{coordinator.slug}/")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", language)
    items = page.locator("header.top > *, header.top nav > a, header.top .logout > *")
    boxes = [box for box in (item.bounding_box() for item in items.all()) if box]
    middles = {round(box["y"] + box["height"] / 2) for box in boxes}
    page.screenshot(path=tmp_path / f"header-{language}.png")  # to look at when it fails
    header = page.locator("header.top").bounding_box()
    context.close()
    assert header["height"] < 60, f"the header wraps in {language}: {header['height']} px high"
    assert max(middles) - min(middles) <= 4, middles

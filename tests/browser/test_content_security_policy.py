"""Under the Content Security Policy the pages' own scripts still run, and nothing is blocked.

The `page` fixture fails a test on any violation Chromium reports; these pages are the ones
whose scripts come from elsewhere than static/js: Swagger UI on the API docs page.
"""

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import note_if_blocked

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_run_swagger_ui_without_inline_scripts(page: Page):
    page.goto("/api/docs/")
    # Drawn by Swagger UI from the schema: its set-up script ran and fetched /api/schema/.
    expect(page.get_by_role("heading", name="Evac API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_blocked_inline_handler_is_what_fails_the_browser_tests(context: BrowserContext):
    # The control for the `page` fixture's check, on a tab of its own: an inline handler put
    # into an Evac page is refused, and the fixture's listener notes it.
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: note_if_blocked(message, blocked))
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const b = document.createElement('button');"
        " b.setAttribute('onclick', 'window.ran = 1'); document.body.append(b); b.click(); }"
    )
    assert page.evaluate("() => window.ran") is None
    assert blocked

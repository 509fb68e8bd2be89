"""Debian's Chromium, driven by Playwright's sync API against pytest-django's live_server.

One browser per module and a fresh context (cookies, storage, viewport) per test. The
browser is module-scoped on purpose: while Playwright's sync API is running, its event loop
counts as "running" in the main thread, so Django refuses ORM calls from the test unless
DJANGO_ALLOW_ASYNC_UNSAFE is set. Tying that variable to the browser's lifetime keeps the
rest of the suite under Django's normal async-safety check.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    sync_playwright,
)

CHROMIUM = "/usr/bin/chromium"
# `playwright install` can't download browsers here; Debian's build needs no sandbox in a
# container, no GPU, and nothing that phones home while a test runs.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESK = {"width": 1280, "height": 900}
# Playwright waits this long for an element or a navigation before failing the test; the
# pages answer in well under a second, so a broken one fails fast instead of after 30 s.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        # The test thread calls the ORM beside Playwright's loop; the live server's own
        # thread has no loop and needs nothing.
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url, viewport=DESK, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A tab whose uncaught JavaScript errors fail the test: the pages' scripts must run.

    So does anything the Content Security Policy blocked, which Chromium reports on the console.
    """
    page = context.new_page()
    script_errors: list[Error] = []
    page.on("pageerror", lambda error: script_errors.append(error))
    blocked: list[str] = []
    page.on("console", lambda message: note_if_blocked(message, blocked))
    yield page
    assert not script_errors, f"JavaScript errors on the page: {script_errors}"
    assert not blocked, f"The Content Security Policy blocked: {blocked}"


def note_if_blocked(message: ConsoleMessage, blocked: list[str]) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        blocked.append(message.text)

"""The first minute of the demo, as a new user spends it: `make run` has loaded the replay
and printed how to get past the second step without a phone; the coordinator logs in with
the password and the code `manage.py demo_code coordinator` prints, and the dashboard shows
a crisis happening now, with flights hours and days ahead."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from evac.demo.scenario import load_demo

pytestmark = pytest.mark.browser

PASSWORD = "evac-demo-test"


@pytest.fixture
def demo(live_server):
    return load_demo(PASSWORD)


def printed_code(username: str) -> str:
    out = StringIO()
    call_command("demo_code", username, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db(transaction=True)
def test_the_coordinator_logs_in_with_the_printed_code_and_sees_the_live_dashboard(
    page: Page, demo
):
    assert "manage.py demo_code coordinator" in demo.summary()

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second step")
    page.get_by_label("Code").fill(printed_code("coordinator"))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan, January 2022")
    expect(page.get_by_role("note")).to_contain_text("replayed in the present")
    expect(page.get_by_role("link", name="116 waiting in Almaty")).to_be_visible()
    flights = page.get_by_role("region", name="Open and planned flights")
    expect(flights).to_contain_text(re.compile(r"PS 9004[\s\S]*in \d+\s+hours?"))
    expect(flights).to_contain_text(re.compile(r"PS 9006[\s\S]*in \d\s+days?"))
    expect(flights).not_to_contain_text("departure time passed")

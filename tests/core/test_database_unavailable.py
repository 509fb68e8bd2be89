"""When the database can't be reached, the API answers 503 with Retry-After in its JSON error
shape, and staff pages a styled "try again" page: never Django's bare HTML "Server Error"."""

from contextlib import contextmanager

import pytest
from django.db import connection

from tests.api.client import error_of, op_url, session_client, token_client

# transaction=True: the test takes the connection away, so nothing may wait to be rolled back.
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_down():
    """Every new connection fails, as when PostgreSQL is restarting (a missing file on SQLite)."""
    settings_dict = connection.settings_dict
    saved = {key: settings_dict[key] for key in ("NAME", "HOST", "PORT")}
    connection.close()
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent/evac/database.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    try:
        yield
    finally:
        connection.close()
        settings_dict.update(saved)


def test_the_api_answers_503_with_retry_after_in_its_error_shape(operation, alice):
    client = token_client(alice)

    with database_down():
        response = client.get(op_url(operation, "citizens/"))

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert error_of(response)["code"] == "unavailable"


def test_the_api_answers_503_when_the_database_fails_before_the_api_runs(operation, alice):
    # A browser session: the session is read from the database by middleware, before DRF.
    client = session_client(alice)
    client.raise_request_exception = False  # answer as a server would, not raise in the test

    with database_down():
        response = client.get(op_url(operation, "citizens/"))

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert error_of(response)["code"] == "unavailable"


def test_staff_pages_show_a_styled_page_that_says_to_try_again(client, operation, alice):
    client.force_login(alice)
    client.raise_request_exception = False

    with database_down():
        response = client.get(f"/ops/{operation.slug}/")

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "errors/503.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert 'href="/static/css/evac.css"' in page
    assert "try again" in page.lower()

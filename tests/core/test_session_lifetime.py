"""A staff session ends after 30 minutes without a request, and 12 hours after logging in."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from evac.core import clock
from evac.core.sessions import LOGGED_IN_AT
from tests.logins import log_in_through_the_pages

pytestmark = pytest.mark.django_db

PASSWORD = "quiet-steppe-morning"


@pytest.fixture
def home(operation) -> str:
    return f"/ops/{operation.slug}/"


@pytest.fixture
def logged_in(client, alice, home):
    alice.set_password(PASSWORD)
    alice.save()
    log_in_through_the_pages(client, alice, PASSWORD)
    assert client.get(home).status_code == 200
    return client


@pytest.fixture
def move_clock(monkeypatch):
    """Move evac's clock on by a time since the test began (Django's own clock stays)."""
    start = clock.now()

    def move(to: timedelta) -> None:
        monkeypatch.setattr(clock, "now", lambda: start + to)

    return move


def _sent_to_log_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_request_within_thirty_minutes_keeps_the_session(home, logged_in, move_clock):
    move_clock(timedelta(minutes=29))
    assert logged_in.get(home).status_code == 200


def test_thirty_minutes_without_a_request_ends_the_session(home, logged_in, move_clock):
    move_clock(timedelta(minutes=31))

    assert _sent_to_log_in(logged_in.get(home))
    assert LOGGED_IN_AT not in logged_in.session  # logged out, not only turned away once


def test_each_request_starts_the_thirty_minutes_again(home, logged_in, move_clock):
    move_clock(timedelta(minutes=20))
    assert logged_in.get(home).status_code == 200
    move_clock(timedelta(minutes=45))  # 25 minutes after the last request
    assert logged_in.get(home).status_code == 200


def test_a_request_pushes_the_stored_session_s_own_expiry_on(home, logged_in, move_clock):
    # Django drops a session at its expiry date whatever the middleware thinks; a request
    # after a minute or more must move that date too, or the session would end mid-work.
    session = Session.objects.get(session_key=logged_in.session.session_key)
    session.expire_date = timezone.now() + timedelta(minutes=1)
    session.save()
    move_clock(timedelta(minutes=2))

    assert logged_in.get(home).status_code == 200

    session.refresh_from_db()
    assert session.expire_date - timezone.now() > timedelta(minutes=29)


def test_the_session_still_works_just_before_twelve_hours(home, logged_in, move_clock):
    for minutes in range(0, 12 * 60, 20):  # busy all day
        move_clock(timedelta(minutes=minutes))
        assert logged_in.get(home).status_code == 200, minutes


def test_twelve_hours_after_logging_in_the_session_ends_however_busy(home, logged_in, move_clock):
    for minutes in range(0, 12 * 60, 20):
        move_clock(timedelta(minutes=minutes))
        logged_in.get(home)
    move_clock(timedelta(hours=12, minutes=1))

    assert _sent_to_log_in(logged_in.get(home))
    assert _sent_to_log_in(logged_in.get(home))


def test_logging_in_again_starts_the_twelve_hours_afresh(home, logged_in, alice, move_clock):
    move_clock(timedelta(hours=11))
    log_in_through_the_pages(logged_in, alice, PASSWORD)
    # Busy until 13 h after the first log-in, 2 h after this one.
    for minutes in range(11 * 60 + 20, 13 * 60 + 1, 20):
        move_clock(timedelta(minutes=minutes))
        assert logged_in.get(home).status_code == 200, minutes


def test_the_limits_come_from_settings(home, logged_in, move_clock, settings):
    settings.EVAC_SESSION_IDLE_MINUTES = 5
    move_clock(timedelta(minutes=6))

    assert _sent_to_log_in(logged_in.get(home))


def test_the_session_cookie_lasts_as_long_as_the_idle_limit(settings):
    assert settings.SESSION_COOKIE_AGE == settings.EVAC_SESSION_IDLE_MINUTES * 60 == 30 * 60


def test_with_a_one_minute_idle_limit_a_session_busy_every_fifty_seconds_stays(
    home, logged_in, move_clock, settings
):
    # "Last seen" is written a fraction of the idle limit apart, not once a minute: else a
    # request every 50 seconds would find "last seen" 100 seconds old, and be logged out.
    settings.EVAC_SESSION_IDLE_MINUTES = 1
    settings.SESSION_COOKIE_AGE = 60
    for seconds in range(50, 501, 50):
        move_clock(timedelta(seconds=seconds))
        assert logged_in.get(home).status_code == 200, seconds
    move_clock(timedelta(seconds=500 + 61))

    assert _sent_to_log_in(logged_in.get(home))


def test_with_a_short_idle_limit_the_stored_sessions_expiry_is_pushed_on_in_time(
    home, logged_in, move_clock, settings
):
    settings.EVAC_SESSION_IDLE_MINUTES = 1
    settings.SESSION_COOKIE_AGE = 60
    session = Session.objects.get(session_key=logged_in.session.session_key)
    session.expire_date = timezone.now() + timedelta(seconds=10)  # 50 s of the minute gone
    session.save()
    move_clock(timedelta(seconds=50))

    assert logged_in.get(home).status_code == 200

    session.refresh_from_db()
    assert session.expire_date - timezone.now() > timedelta(seconds=50)

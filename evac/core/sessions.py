"""A staff session ends after EVAC_SESSION_IDLE_MINUTES without a request, and
EVAC_SESSION_MAX_HOURS after logging in however busy.

The session keeps when its user logged in and when they were last seen. Last seen is not
written on every request (SESSION_SAVE_EVERY_REQUEST would be a database write per page and
per boarding poll) but once a quarter of the idle limit has passed since the last write, and
at most once a minute; each write also pushes the session's own expiry, SESSION_COOKIE_AGE =
the idle limit, on. So the idle limit holds to within a quarter of itself (a minute at the
default 30), and a session busy more often than the limit is never logged out, however short
the limit is set.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from evac.core import clock

# Seconds since the epoch: the session stores JSON.
LOGGED_IN_AT = "evac_logged_in_at"
LAST_SEEN = "evac_last_seen"
# "Last seen" is written at most this often, and at least 4 times in each idle limit.
SEEN_AT_MOST_EVERY_SECONDS = 60
SEEN_TIMES_PER_IDLE_LIMIT = 4


@receiver(user_logged_in)
def remember_when_logged_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    # login() keeps the session's data when the same person logs in again; start afresh.
    if request is not None and hasattr(request, "session"):
        now = clock.now().timestamp()
        request.session[LOGGED_IN_AT] = now
        request.session[LAST_SEEN] = now


def seen_every_seconds() -> float:
    """How long after the last write of "last seen" the next request writes it again."""
    idle = timedelta(minutes=settings.EVAC_SESSION_IDLE_MINUTES).total_seconds()
    return min(SEEN_AT_MOST_EVERY_SECONDS, idle / SEEN_TIMES_PER_IDLE_LIMIT)


def _session_is_over(logged_in_at: float, last_seen: float, now: float) -> bool:
    idle = timedelta(minutes=settings.EVAC_SESSION_IDLE_MINUTES).total_seconds()
    longest = timedelta(hours=settings.EVAC_SESSION_MAX_HOURS).total_seconds()
    return now - last_seen > idle or now - logged_in_at > longest


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = clock.now().timestamp()
            # A session from before this middleware counts from now.
            logged_in_at = session.setdefault(LOGGED_IN_AT, now)
            last_seen = session.setdefault(LAST_SEEN, now)
            if _session_is_over(logged_in_at, last_seen, now):
                logout(request)  # flushes the session; the view then asks to log in
            elif now - last_seen >= seen_every_seconds():
                session[LAST_SEEN] = now  # saved after the view, with a new expiry
        return self.get_response(request)

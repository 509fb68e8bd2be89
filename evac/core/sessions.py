"""A staff session ends after EVAC_SESSION_IDLE_MINUTES without a request, and
EVAC_SESSION_MAX_HOURS after logging in however busy.

The session keeps when its user logged in and when they were last seen. Last seen is written
at most once a minute rather than on every request (SESSION_SAVE_EVERY_REQUEST would be a
database write per page and per boarding poll); each write also pushes the session's own
expiry, SESSION_COOKIE_AGE = the idle limit, on. So the idle limit holds to within a minute.
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
SEEN_EVERY_SECONDS = 60


@receiver(user_logged_in)
def remember_when_logged_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    # login() keeps the session's data when the same person logs in again; start afresh.
    if request is not None and hasattr(request, "session"):
        now = clock.now().timestamp()
        request.session[LOGGED_IN_AT] = now
        request.session[LAST_SEEN] = now


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
            elif now - last_seen >= SEEN_EVERY_SECONDS:
                session[LAST_SEEN] = now  # saved after the view, with a new expiry
        return self.get_response(request)

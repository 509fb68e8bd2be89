"""The public portal keeps its session in a signed cookie; staff sessions stay in the database.

In a crisis the portal's status lookup is the busiest page there is, and a database session
meant a row written for every lookup (and read on every reload): under load the COMMIT of
that row was most of a lookup's time. What the portal keeps is small and short-lived (the
person looked up in this browser and when, the names just registered), so it travels in a
cookie of its own, signed with SECRET_KEY (tamper-proof, not secret: it holds nothing the
visitor didn't type or wasn't shown) and refused once older than SESSION_COOKIE_AGE.

Staff sessions are untouched: server-side, so a coordinator can end them and logging out
ends them everywhere. The two never meet: the portal's cookie is sent only to /p/… and is a
different cookie, so a staff session cookie is never read on the portal nor a portal cookie
on a staff page, and a staff member who opens the portal is an anonymous visitor there.

What a signed cookie can't do: be ended on the server. "Forget me" deletes it from the
browser; a copy taken before still shows the status until the lookup's own 30 minutes run
out (portal.selectors.LOOKUP_LASTS), as a copied database session cookie would have too.
"""

from django.conf import settings
from django.contrib.sessions.backends.signed_cookies import SessionStore as SignedCookieStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

PORTAL_COOKIE_NAME = "evac_portal"
# The portal's pages: its index at / and each operation's pages under /p/<slug>/ (evac/urls.py;
# tests/core/test_portal_sessions.py checks every portal URL falls here).
PORTAL_COOKIE_PATH = "/p/"


def is_portal_path(path: str) -> bool:
    return path == "/" or path.startswith(PORTAL_COOKIE_PATH)


class SplitSessionMiddleware(SessionMiddleware):
    """Django's session middleware, with the portal's pages on a signed-cookie session."""

    def process_request(self, request: HttpRequest) -> None:
        if is_portal_path(request.path_info):
            request.session = SignedCookieStore(request.COOKIES.get(PORTAL_COOKIE_NAME))
            request.portal_session = True
        else:
            super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not getattr(request, "portal_session", False):
            return super().process_response(request, response)
        session = request.session
        if session.accessed:
            patch_vary_headers(response, ("Cookie",))
        if not session.modified or response.status_code >= 500:
            return response
        if not session.keys():
            # Nothing left to keep (the person forgotten): no cookie rather than an empty one.
            if PORTAL_COOKIE_NAME in request.COOKIES:
                response.delete_cookie(
                    PORTAL_COOKIE_NAME,
                    path=PORTAL_COOKIE_PATH,
                    samesite=settings.SESSION_COOKIE_SAMESITE,
                )
            return response
        session.save()  # signs the data into the "key"; nothing is stored anywhere
        response.set_cookie(
            PORTAL_COOKIE_NAME,
            session.session_key,
            max_age=settings.SESSION_COOKIE_AGE,
            path=PORTAL_COOKIE_PATH,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite=settings.SESSION_COOKIE_SAMESITE,
        )
        return response

"""The pages for 403, 404, 429, 500 and 503: Evac's look, the reader's language, a way back.

A database that can't be reached is a 503 with Retry-After, not a 500 (evac/core/unavailable.py):
the styled page on pages, the API's error shape under /api/.

The 500 and 503 pages are rendered from its template alone, with no context processor, session or
database query: it must still show when the database is what failed. The way back is chosen
from the address only: staff pages lead back to the staff start, everything else to the
public start page.
"""

import sys

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import reverse
from django_ratelimit.exceptions import Ratelimited

from evac.core.unavailable import (
    API_PREFIX,
    is_database_unavailable,
    unavailable_api_response,
    with_retry_after,
)

STAFF_PREFIXES = ("/ops/", "/staff/", "/accounts/", "/admin/", "/api/")


def _way_back(request: HttpRequest) -> dict[str, str | bool]:
    staff = request.path.startswith(STAFF_PREFIXES)
    return {"staff_page": staff, "back_to": reverse("staff_home" if staff else "portal_index")}


def _page(request: HttpRequest, status: int) -> HttpResponse:
    # No request in the context on purpose: nothing here may reach for the session or the
    # database, which may be the very thing that failed.
    body = loader.get_template(f"errors/{status}.html").render({**_way_back(request)})
    return HttpResponse(body, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # django-ratelimit's refusal is a PermissionDenied; it is told as the wait it is.
    return _page(request, 429 if isinstance(exception, Ratelimited) else 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Called while the uncaught exception is being handled, so it can be told apart.
    if is_database_unavailable(sys.exc_info()[1]):
        if request.path.startswith(API_PREFIX):
            return unavailable_api_response()
        return with_retry_after(_page(request, 503))
    return _page(request, 500)

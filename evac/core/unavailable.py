"""When the database can't be reached: 503 and "try again", not a 500 and a stack trace.

A restarting or failing-over PostgreSQL, or a full connection pool, is a moment to wait, not
a bug: the API answers 503 with Retry-After in its one error shape, and pages a styled page
that says to try again. Django's handler500 (evac/core/error_views.py) asks here about errors
raised before a view runs (a session read in middleware); the API's exception handler about
errors inside its views. Other errors stay 500s, logged with their traceback.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# Lost or refused connections. IntegrityError and ProgrammingError are bugs, not outages.
DATABASE_UNAVAILABLE_ERRORS = (InterfaceError, OperationalError)
# What a client is told to wait before trying again.
RETRY_AFTER_SECONDS = 30
UNAVAILABLE_CODE = "unavailable"
API_PREFIX = "/api/"


def unavailable_message() -> str:
    return _("Evac cannot reach its database just now. Please try again in a minute.")


def is_database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_UNAVAILABLE_ERRORS)


def with_retry_after(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable_api_response() -> HttpResponse:
    """The API's error shape, for a failure before the API's own handler could answer."""
    body = {"error": {"code": UNAVAILABLE_CODE, "message": unavailable_message(), "fields": {}}}
    return with_retry_after(JsonResponse(body, status=503))

"""One error shape for every 4xx answer of the API:

    {"error": {"code": "flight_full", "message": "Flight PS9004 has 0 seats left; …",
               "fields": {"surname": ["This field is required."]}}}

`code` is stable and meant for programs, `message` is for people, `fields` names the input
that was wrong (empty when the problem is not with one field). Services raise Django's
ValidationError and PermissionDenied and Evac's Conflict; they are translated here, so no
view catches them one by one.
"""

import logging
import re
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from evac.core.errors import Conflict, InvalidTransition
from evac.core.unavailable import (
    RETRY_AFTER_SECONDS,
    UNAVAILABLE_CODE,
    is_database_unavailable,
    unavailable_message,
)
from evac.flights.minors import MinorWithoutAdult

logger = logging.getLogger(__name__)

# Conflicts answer 409, status changes the rules refuse included: the request was well
# formed, the record's current state says no, and the same request may succeed later.
CONFLICT_CODE = "conflict"
INVALID_TRANSITION_CODE = "invalid_transition"


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = CONFLICT_CODE


class ServiceUnavailable(exceptions.APIException):
    """The database can't be reached: try again later (DRF sends `wait` as Retry-After)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = UNAVAILABLE_CODE
    wait = RETRY_AFTER_SECONDS


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: let it be a 500 with a traceback in the log
    response.data = {"error": _error_body(exc)}
    return response


def _as_api_exception(exc: Exception) -> Exception:
    if is_database_unavailable(exc):
        logger.error("database unavailable: %s", exc, exc_info=exc)
        return ServiceUnavailable(unavailable_message())
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_validation_detail(exc))
    if isinstance(exc, MinorWithoutAdult):  # a reason is missing: the client can give one
        return exceptions.ValidationError({MinorWithoutAdult.field: [exc.message]})
    if isinstance(exc, InvalidTransition):
        return ConflictError(exc.message, code=INVALID_TRANSITION_CODE)
    if isinstance(exc, Conflict):
        return ConflictError(exc.message, code=_snake(type(exc).__name__))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def _validation_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def _error_body(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        general = fields.pop("non_field_errors", None) if isinstance(fields, dict) else None
        message = _first_message(general) or _("Some of the data sent is not valid.")
        return {"code": "invalid", "message": message, "fields": fields}
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        code = detail.code if hasattr(detail, "code") else exc.default_code
        return {"code": str(code), "message": str(_first_message(detail) or detail), "fields": {}}
    return {"code": "error", "message": str(exc), "fields": {}}


def _first_message(detail: Any) -> str:
    if isinstance(detail, list | tuple):
        return _first_message(detail[0]) if detail else ""
    if isinstance(detail, dict):
        return ""
    return str(detail) if detail is not None else ""


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()

"""JSON logs, each line carrying the id of the request it belongs to, into Celery tasks too.

A web request gets an id (the proxy's X-Request-ID if it sent a sane one, else a new one),
returned in the X-Request-ID response header. A task queued while serving it carries the id
in its message headers, and the worker logs under the same id: grep one id and see a
booking, its confirmation and the SMS handed to the provider.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# The name of the Celery message header that carries it.
TASK_HEADER = "evac_request_id"
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

request_id: ContextVar[str] = ContextVar("request_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        # Not reset on the way out: Django logs a 4xx or 5xx after the middleware returned,
        # and that line belongs to this request too. The next request sets its own.
        request_id.set(offered if _SANE_ID.match(offered) else new_request_id())
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id.get()
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# Celery signal handlers (connected in evac/celery.py) ----------------------------------


def add_request_id_to_task(headers: dict | None = None, **_signal: Any) -> None:
    """before_task_publish: the task's message carries the id of the request queueing it."""
    if headers is not None and request_id.get():
        headers[TASK_HEADER] = request_id.get()


def adopt_request_id(task=None, task_id: str = "", **_signal: Any) -> None:
    """task_prerun: log under the queueing request's id, or the task's own id if none."""
    carried = getattr(task.request, TASK_HEADER, None) if task is not None else None
    request_id.set(carried or task_id)
    logging.getLogger("evac.tasks").info("task %s started", getattr(task, "name", "?"))


def forget_request_id(**_signal: Any) -> None:
    """task_postrun: the next task in this process starts clean."""
    request_id.set("")

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from evac.celery import app as celery_app


# GET and HEAD only: a public address that takes no POST, so it needs no POST limits.
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Whether this process can reach what it needs: 200 when all is "ok", else 503."""
    checks = {"database": _database_status(), "broker": _broker_status()}
    healthy = all(status == "ok" for status in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 — any failure means "not healthy", reported as text
        return f"error: {exc.__class__.__name__}"
    return "ok"


# A load balancer polls this page: a broker that doesn't answer within this time counts as
# down, rather than holding a web worker for as long as the OS takes to give up on a socket.
BROKER_TIMEOUT_SECONDS = 2.0


def _broker_status() -> str:
    # The connection the web process uses to queue tasks, tried once: with max_retries=0 kombu
    # gives up at the first failure instead of sleeping and retrying. Redis reads its timeouts
    # from the transport options and ignores connect_timeout; other transports the reverse.
    timeouts = {
        "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
        "socket_timeout": BROKER_TIMEOUT_SECONDS,
    }
    try:
        with celery_app.connection_for_write(
            connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=timeouts
        ) as conn:
            conn.ensure_connection(max_retries=0)
    except Exception as exc:  # noqa: BLE001 — as above
        return f"error: {exc.__class__.__name__}"
    return "ok"

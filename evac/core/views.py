from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from evac.celery import app as celery_app
from evac.core.broker import quick_broker_options, quick_connect_timeout


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


def _broker_status() -> str:
    # The connection the web process uses to queue tasks, tried once and briefly
    # (evac/core/broker.py): a load balancer polls this page, and a broker that doesn't
    # answer at once counts as down rather than holding a web worker.
    try:
        with celery_app.connection_for_write(
            connect_timeout=quick_connect_timeout(), transport_options=quick_broker_options()
        ) as conn:
            conn.ensure_connection(max_retries=0)
    except Exception as exc:  # noqa: BLE001 — as above
        return f"error: {exc.__class__.__name__}"
    return "ok"

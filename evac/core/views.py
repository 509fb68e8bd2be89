from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from evac.operations.selectors import operation_summaries_for


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The staff landing page until the full staff app exists: each operation in numbers."""
    return render(
        request,
        "core/staff_home.html",
        {"summaries": operation_summaries_for(request.user)},
    )


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as exc:  # noqa: BLE001 — any failure means "not healthy", reported as text
        database = f"error: {exc.__class__.__name__}"
    healthy = database == "ok"
    return JsonResponse({"database": database}, status=200 if healthy else 503)

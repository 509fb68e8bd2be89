"""GET /metrics for Prometheus: what an on-call person needs, behind a token.

Off unless EVAC_METRICS_TOKEN is set; then a scrape sends `Authorization: Bearer <token>`.
Besides requests by view (evac/core/metrics.py), each scrape reads: messages by status and
the age of the oldest one due and not sent, the broker's queue depth, each worker's last
heartbeat, and the people waiting in each active operation. Every metric is described, with
sample alerts, in docs/operations.md ("Metrics").
"""

import hmac
import time

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from evac.core.clock import now
from evac.core.metrics import request_metrics
from evac.core.worker import worker_heartbeats
from evac.notifications.models import Notification
from evac.notifications.queue import queue_depth
from evac.operations.models import Operation
from evac.people.models import Citizen, CitizenStatus

N = Notification


class EvacStateCollector:
    """Read at scrape time: a handful of indexed counts, no per-person series."""

    def collect(self):
        yield from self._messages()
        yield from self._broker()
        yield from self._waiting()

    def _messages(self):
        counts = GaugeMetricFamily(
            "evac_messages",
            "Messages not yet settled, and failed ones, by status.",
            labels=["status"],
        )
        by_status = dict(
            N.objects.filter(status__in=[N.Status.PENDING, N.Status.SENDING, N.Status.FAILED])
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        for status in (N.Status.PENDING, N.Status.SENDING, N.Status.FAILED):
            counts.add_metric([status.value], by_status.get(status.value, 0))
        yield counts
        moment = now()
        due = N.objects.filter(status=N.Status.PENDING, due_at__lte=moment)
        oldest = due.aggregate(oldest=Min("due_at"))["oldest"]
        yield GaugeMetricFamily(
            "evac_messages_due", "Pending messages whose time has come.", value=due.count()
        )
        yield GaugeMetricFamily(
            "evac_oldest_due_message_age_seconds",
            "How long the oldest due, unsent message has waited (0 when none waits).",
            value=(moment - oldest).total_seconds() if oldest else 0,
        )

    def _broker(self):
        depth = queue_depth()
        if depth is not None:
            yield GaugeMetricFamily(
                "evac_queue_depth", "Tasks waiting in the broker's queue.", value=depth
            )
        beats = GaugeMetricFamily(
            "evac_worker_last_heartbeat_timestamp_seconds",
            "When each worker node last said it was alive (Unix time).",
            labels=["worker"],
        )
        for worker, moment in sorted(worker_heartbeats().items()):
            beats.add_metric([worker], moment)
        yield beats

    def _waiting(self):
        waiting = GaugeMetricFamily(
            "evac_waiting_people", "People waiting for a seat, by operation.", labels=["operation"]
        )
        counts = dict(
            Citizen.objects.filter(
                status=CitizenStatus.WAITING, operation__status=Operation.Status.ACTIVE
            )
            .values_list("operation__slug")
            .annotate(n=Count("pk"))
            .values_list("operation__slug", "n")
        )
        for slug in Operation.objects.filter(status=Operation.Status.ACTIVE).values_list(
            "slug", flat=True
        ):
            waiting.add_metric([slug], counts.get(slug, 0))
        yield waiting


def _authorised(request: HttpRequest) -> bool:
    expected = f"Bearer {settings.EVAC_METRICS_TOKEN}"
    return hmac.compare_digest(request.headers.get("Authorization", ""), expected)


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    # Not there at all unless switched on; no hint to a visitor without the token either.
    if not settings.EVAC_METRICS_TOKEN or not _authorised(request):
        raise Http404
    started = time.perf_counter()
    state = CollectorRegistry()
    state.register(EvacStateCollector())
    body = request_metrics() + generate_latest(state)
    took = f"# evac scrape took {time.perf_counter() - started:.3f}s\n".encode()
    return HttpResponse(body + took, content_type=CONTENT_TYPE_LATEST)

"""Requests and their latency by view, for Prometheus (the state of the outbox, the queue,
the workers and the waiting lists is read at scrape time: evac/cockpit/metrics.py).

Each gunicorn worker process counts its own requests. With several processes, set
PROMETHEUS_MULTIPROC_DIR to an empty folder the processes share (wiped at each start): the
counts are written there and the endpoint adds them up, whichever process answers it.
"""

import os
import time

from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "evac_http_requests",
    "Requests answered, by view, method and status code class (2xx, 4xx…).",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "evac_http_request_duration_seconds",
    "Time from the request reaching Django to its answer, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0),
)


def _view_name(request: HttpRequest) -> str:
    # The URL's name, never the path: a path holds ids and would make a series per person.
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class MetricsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        view = _view_name(request)
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(view, request.method, f"{response.status_code // 100}xx").inc()
        return response


def request_metrics() -> bytes:
    """The request counters in Prometheus' text format, of every process when they share."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)

"""Every request has an id, in the X-Request-ID header and in every log line (the tasks it
queues carry it too: tests/notifications/test_request_id_in_tasks.py)."""

import json
import logging

import pytest

from evac.core.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_each_response_names_its_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert len(first) == 32 and first != second


def test_a_proxy_s_request_id_is_kept_and_a_strange_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a")["X-Request-ID"] == "lb-7f3a"
    odd = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert odd != "<script>" and len(odd) == 32


def test_log_lines_are_json_with_the_request_id(client, caplog):
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    lines = []
    handler.emit = lambda record: lines.append(handler.format(record))
    logging.getLogger("django.request").addHandler(handler)
    try:
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    finally:
        logging.getLogger("django.request").removeHandler(handler)

    entry = json.loads(lines[-1])
    assert entry["request_id"] == "req-404"
    assert entry["level"] == "WARNING" and "Not Found" in entry["message"]

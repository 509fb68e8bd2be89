"""GET /metrics for Prometheus: off without a token, refused without the right one, and with
it the numbers an on-call person needs."""

from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from evac.core.clock import now
from evac.notifications.models import Notification
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-for-tests"
N = Notification


def _samples(response) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _scrape(client, token: str = TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_it_is_not_there_unless_a_token_is_set(client, settings):
    settings.EVAC_METRICS_TOKEN = ""

    assert _scrape(client, "").status_code == 404


def test_a_wrong_token_or_none_is_refused(client, settings):
    settings.EVAC_METRICS_TOKEN = TOKEN

    assert _scrape(client, "guess").status_code == 404
    assert client.get("/metrics").status_code == 404


def test_it_counts_requests_by_view_and_their_latency(client, settings):
    settings.EVAC_METRICS_TOKEN = TOKEN
    before = _samples(_scrape(client)).get(
        ("evac_http_requests_total", (("method", "GET"), ("status", "2xx"), ("view", "healthz"))),
        0,
    )
    client.get("/healthz")

    samples = _samples(_scrape(client))

    key = ("method", "GET"), ("status", "2xx"), ("view", "healthz")
    assert samples[("evac_http_requests_total", key)] == before + 1
    assert samples[("evac_http_request_duration_seconds_count", (("view", "healthz"),))] >= 1


def test_it_tells_pending_and_failed_messages_the_oldest_due_and_who_waits(
    client, settings, operation, other_operation, almaty
):
    settings.EVAC_METRICS_TOKEN = TOKEN
    waiting = [make_citizen(operation, almaty, phone=f"+7701000{i:04d}") for i in range(3)]
    make_citizen(other_operation, almaty)
    moment = now()
    for i, (status, minutes_ago) in enumerate([("pending", 7), ("pending", 1), ("failed", 30)]):
        N.objects.create(
            operation=operation,
            citizen=waiting[i],
            channel=N.Channel.SMS,
            kind=N.Kind.BROADCAST,
            language="en",
            body="Stay where you are.",
            to_address=str(waiting[i].phone),
            due_at=moment - timedelta(minutes=minutes_ago),
            status=status,
            idempotency_key=f"metrics:{i}",
        )

    samples = _samples(_scrape(client))

    assert samples[("evac_messages", (("status", "pending"),))] == 2
    assert samples[("evac_messages", (("status", "failed"),))] == 1
    assert samples[("evac_messages_due", ())] == 2
    assert 7 * 60 <= samples[("evac_oldest_due_message_age_seconds", ())] < 8 * 60
    assert samples[("evac_waiting_people", (("operation", operation.slug),))] == 3
    assert samples[("evac_waiting_people", (("operation", other_operation.slug),))] == 1

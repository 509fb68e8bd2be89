"""/metrics on Redis: each running worker node's heartbeat, and the broker's queue depth."""

import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from evac.celery import app as celery_app
from tests.notifications.worker import redis_broker as redis_broker
from tests.notifications.worker import wait_until, worker, worker_environment

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
TOKEN = "scrape-token-for-tests"


def _families(client) -> dict:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    return {f.name: f for f in text_string_to_metric_families(response.content.decode())}


def _heartbeats(client) -> dict[str, float]:
    family = _families(client)["evac_worker_last_heartbeat_timestamp_seconds"]
    return {sample.labels["worker"]: sample.value for sample in family.samples}


def test_a_running_worker_s_heartbeat_and_the_queue_depth_are_shown(
    client, settings, redis_broker, tmp_path
):
    settings.EVAC_METRICS_TOKEN = TOKEN
    for _ in range(3):
        celery_app.send_task("evac.core.tasks.ping")
    assert _families(client)["evac_queue_depth"].samples[0].value == 3

    env = worker_environment(tmp_path, tmp_path / "sms.log")
    started = time.time()
    with worker(tmp_path, env):
        wait_until(
            lambda: any(name.startswith("celery@") for name in _heartbeats(client)),
            "a heartbeat",
            tmp_path,
        )
        wait_until(
            lambda: _families(client)["evac_queue_depth"].samples[0].value == 0,
            "the queue emptied",
            tmp_path,
        )

    latest = max(_heartbeats(client).values())
    assert latest >= started - 1

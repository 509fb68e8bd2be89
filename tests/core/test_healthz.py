"""/healthz tells a load balancer whether this process can reach its database and broker."""

import pytest

from tests.conftest import REDIS_URL, use_broker

# Nothing listens on port 1, so a connection there is refused at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def _use_broker(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    use_broker(monkeypatch, url)


@pytest.mark.django_db
def test_it_reports_the_database_and_the_broker_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_unreachable(client, monkeypatch):
    _use_broker(monkeypatch, UNREACHABLE_REDIS)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")


@pytest.mark.redis
@pytest.mark.django_db
def test_it_reports_a_reachable_redis_broker_ok(client, monkeypatch):
    _use_broker(monkeypatch, REDIS_URL)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}

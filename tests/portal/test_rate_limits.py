"""Lookups are limited per IP and per reference code, in the configured shared cache."""

import time

import pytest
from django.urls import reverse
from django_ratelimit import core as ratelimit_core

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    settings.EVAC_PORTAL_RATE_PER_IP = "5/m"
    settings.EVAC_PORTAL_RATE_PER_CODE = "3/m"


def lookup(client, operation, reference: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("portal:status", args=[operation.slug]),
        {"reference": reference, "date_of_birth": "1990-01-01"},
        REMOTE_ADDR=ip,
    )


def test_one_code_tried_too_often_is_refused_politely_from_any_address(
    client, operation, olena, rates
):
    for n in range(3):
        assert lookup(client, operation, olena.reference, ip=f"10.0.0.{n}").status_code == 200
    refused = lookup(client, operation, olena.reference, ip="10.0.0.9")
    assert refused.status_code == 429
    assert "Please try again in a few minutes" in refused.content.decode()
    # Even the right date of birth waits now: guessing must not go on.
    right = client.post(
        reverse("portal:status", args=[operation.slug]),
        {"reference": olena.reference, "date_of_birth": "1985-03-14"},
        REMOTE_ADDR="10.0.0.10",
    )
    assert right.status_code == 429


def test_one_address_trying_many_codes_is_refused(client, operation, rates):
    for n in range(5):
        assert lookup(client, operation, f"AAAA-AAA{n + 2}").status_code == 200
    assert lookup(client, operation, "AAAA-BBBB").status_code == 429
    assert lookup(client, operation, "AAAA-BBBC", ip="10.9.9.9").status_code == 200


def test_the_limit_resets_when_its_window_has_passed(client, operation, olena, rates, monkeypatch):
    for _ in range(3):
        lookup(client, operation, olena.reference)
    assert lookup(client, operation, olena.reference).status_code == 429

    later = time.time() + 61

    class Later:
        @staticmethod
        def time() -> float:
            return later

    monkeypatch.setattr(ratelimit_core, "time", Later)
    assert lookup(client, operation, olena.reference).status_code == 200

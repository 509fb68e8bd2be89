"""Token clients are limited to a rate (settings: EVAC_API_TOKEN_RATE); browsers are not."""

import pytest
from django.core.cache import cache

from tests.api.client import error_of, op_url, session_client, token_client


@pytest.fixture
def three_a_minute(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    cache.clear()
    # DRF reads the rates once, when the throttle class is defined.
    from evac.api.throttling import TokenRateThrottle

    original = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = rates
    yield
    TokenRateThrottle.THROTTLE_RATES = original
    cache.clear()


def test_a_token_over_its_rate_waits(three_a_minute, operation, carol):
    api = token_client(carol)

    statuses = [api.get(op_url(operation)).status_code for _ in range(4)]
    refused = api.get(op_url(operation))

    assert statuses == [200, 200, 200, 429]
    assert error_of(refused)["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0


def test_each_token_has_its_own_count(three_a_minute, operation, carol):
    first, second = token_client(carol), token_client(carol)
    for _ in range(3):
        first.get(op_url(operation))

    assert first.get(op_url(operation)).status_code == 429
    assert second.get(op_url(operation)).status_code == 200


def test_a_browser_session_is_not_limited(three_a_minute, operation, carol):
    browser = session_client(carol)

    assert {browser.get(op_url(operation)).status_code for _ in range(5)} == {200}

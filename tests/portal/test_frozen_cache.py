"""A cache Redis that stops answering (SIGSTOP: the socket open, no reply) never holds a portal
page for more than a moment. The lookup's limits can't be counted then, so lookups are
refused with the "try again later" page until the cache answers again; pages that need no
count are served as usual."""

import time

import pytest
from django.urls import reverse

from evac.core.cache import cache_forget_failure, cache_known_down
from tests.core.private_redis import private_redis

pytestmark = pytest.mark.django_db
TIMEOUT_MS = 250
# One cache timeout plus a loaded two-core machine's noise (it was 2 s a call, then a 500).
AT_MOST_SECONDS = 1.0


@pytest.fixture
def redis_cache(tmp_path, settings):
    with private_redis(tmp_path) as redis:
        settings.EVAC_CACHE_TIMEOUT_MS = TIMEOUT_MS
        settings.CACHES = {
            "default": {"BACKEND": "evac.core.cache.BoundedRedisCache", "LOCATION": redis.url}
        }
        cache_forget_failure()
        yield redis
        cache_forget_failure()


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_a_frozen_cache_turns_lookups_away_at_once_and_they_work_again_after(
    client, operation, olena, redis_cache
):
    url = reverse("portal:status", args=[operation.slug])

    def look_up():
        return client.post(url, {"reference": olena.reference, "date_of_birth": "1985-03-14"})

    answer, usual = _timed(look_up)
    assert answer.status_code == 302

    redis_cache.freeze()
    first, first_seconds = _timed(look_up)
    second, second_seconds = _timed(look_up)

    assert first.status_code == 429 and second.status_code == 429
    assert first_seconds - usual < AT_MOST_SECONDS, f"waited {first_seconds:.2f}s"
    # The first failure opened the breaker: the next request didn't ask Redis at all.
    assert cache_known_down()
    assert second_seconds - usual < TIMEOUT_MS / 1000, f"waited {second_seconds:.2f}s"
    # Reading the status needs no count: the page is served as usual.
    page, page_seconds = _timed(lambda: client.get(url))
    assert page.status_code == 200 and olena.reference in page.content.decode()
    assert page_seconds < AT_MOST_SECONDS

    redis_cache.thaw()
    cache_forget_failure()  # as CACHE_DOWN_SECONDS running out does
    assert look_up().status_code == 302

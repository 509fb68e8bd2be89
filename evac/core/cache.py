"""The Redis cache, bounded: a hung Redis never holds a page longer than EVAC_CACHE_TIMEOUT_MS.

The cache holds only counts (the portal's rate limits, the API's token throttle), nothing
that must be read to serve a page. A hung Redis (the socket open, no answer: a stalled host
or network, SIGSTOP) used to cost every cache call the socket timeout, so a page that asks
the cache twice waited twice. Here each call gives up after EVAC_CACHE_TIMEOUT_MS, without
retrying, and after a failure this process doesn't ask Redis again for CACHE_DOWN_SECONDS
(a circuit breaker): a request waits for one timeout at most, and the requests after it for
none. Then one call tries again.

While the cache is down each call answers as if the key were missing and nothing was
stored. For the portal's rate limits that means "can't count": django-ratelimit then
refuses (fails closed), so public POSTs get the "try again later" page at once instead of an
error, and no lookup goes uncounted. The API's throttle lets requests through (a fairness
limit, not a protection).
"""

import logging
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

CACHE_DOWN_SECONDS = 10.0
# Per process: monotonic time until which the cache is taken as down.
_down_until = 0.0


def cache_known_down() -> bool:
    return time.monotonic() < _down_until


def cache_failed(error: Exception) -> None:
    global _down_until  # one breaker per process, on purpose
    if not cache_known_down():
        logger.warning(
            "cache unreachable (%s): not asked again for %.0f s", error, CACHE_DOWN_SECONDS
        )
    _down_until = time.monotonic() + CACHE_DOWN_SECONDS


def cache_forget_failure() -> None:
    global _down_until
    _down_until = 0.0


# Django's Redis incr asks EXISTS and then INCRBY: two round trips for each count of a rate
# limit past the first in its window. One script does both, atomically (a key can't expire
# between the two), and answers nil for a missing key, which incr turns into ValueError as
# Django's contract says.
_INCR_IF_EXISTS = (
    "if redis.call('EXISTS', KEYS[1]) == 1 then "
    "return redis.call('INCRBY', KEYS[1], ARGV[1]) end return false"
)


class OneTripRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client with incr in one round trip."""

    def incr(self, key, delta):
        counted = self.get_client(key, write=True).eval(_INCR_IF_EXISTS, 1, key, delta)
        if counted is None:
            raise ValueError(f"Key '{key}' not found.")
        return counted


def _guarded(name: str, fallback: Callable) -> Callable:
    method = getattr(OneTripRedisCacheClient, name)

    @wraps(method)
    def call(self, *args, **kwargs):
        if cache_known_down():
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            cache_failed(error)
            return fallback(*args, **kwargs)

    return call


def _no_count(*args, **kwargs):
    # incr on a missing key raises ValueError (Django's contract); django-ratelimit takes it
    # as "could not count".
    raise ValueError("the cache is unreachable")


# What each call answers while the cache is down: nothing found, nothing stored.
_FALLBACKS: dict[str, Callable] = {
    "add": lambda key, value, timeout: False,
    "get": lambda key, default: default,
    "set": lambda key, value, timeout: None,
    "touch": lambda key, timeout: False,
    "delete": lambda key: False,
    "get_many": lambda keys: {},
    "has_key": lambda key: False,
    "incr": _no_count,
    "set_many": lambda data, timeout: list(data),
    "delete_many": lambda keys: None,
    "clear": lambda: False,
}

BoundedRedisCacheClient = type(
    "BoundedRedisCacheClient",
    (OneTripRedisCacheClient,),
    {name: _guarded(name, fallback) for name, fallback in _FALLBACKS.items()},
)


class BoundedRedisCache(RedisCache):
    """Django's Redis cache with short socket timeouts, no retries, and the breaker above."""

    def __init__(self, server, params) -> None:
        seconds = settings.EVAC_CACHE_TIMEOUT_MS / 1000
        options = params.get("OPTIONS", {})
        params = {
            **params,
            "OPTIONS": {
                "socket_connect_timeout": seconds,
                "socket_timeout": seconds,
                "retry": Retry(NoBackoff(), 0),  # one attempt: the first failure is the answer
                **options,
            },
        }
        super().__init__(server, params)
        self._class = BoundedRedisCacheClient

"""Talking to the broker from a web request: once, briefly, and never waiting on it.

The outbox in the database is the source of truth and the dispatcher is the backstop, so a
web request that queues a task, or /healthz asking whether the broker is there, gives up
after EVAC_BROKER_TIMEOUT_MS rather than holding a web worker. A hung Redis (the socket open,
no answer: a stalled host or network) would otherwise cost every such request the broker's
whole socket timeout.

After a failure, this process doesn't try again for BROKER_DOWN_SECONDS: a booking that
queues three messages waits for one timeout, not three, and the pages after it for none.
"""

import time

from django.conf import settings

BROKER_DOWN_SECONDS = 10.0
# Per process: monotonic time until which the broker is taken as down.
_down_until = 0.0

# No reconnection: the first failure is the answer.
NO_RECONNECT = {"max_retries": 0, "interval_start": 0, "interval_step": 0, "interval_max": 0}


def quick_broker_options() -> dict[str, float | int]:
    """Transport options for one short attempt; Redis reads the socket timeouts from these."""
    seconds = settings.EVAC_BROKER_TIMEOUT_MS / 1000
    return {**NO_RECONNECT, "socket_connect_timeout": seconds, "socket_timeout": seconds}


def quick_connect_timeout() -> float:
    """The same limit for transports that take it as connect_timeout instead."""
    return settings.EVAC_BROKER_TIMEOUT_MS / 1000


def broker_known_down() -> bool:
    """Whether a publish from this process failed less than BROKER_DOWN_SECONDS ago."""
    return time.monotonic() < _down_until


def broker_failed() -> None:
    global _down_until  # one flag per process, on purpose
    _down_until = time.monotonic() + BROKER_DOWN_SECONDS


def broker_forget_failure() -> None:
    global _down_until
    _down_until = 0.0

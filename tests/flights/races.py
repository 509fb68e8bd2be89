"""Jobs started at the same moment, for the tests of what two doors reaching one seat do."""

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

from evac.core.errors import Conflict


def race(jobs: list[Callable[[], object]], *, done: str) -> Counter:
    """Run the jobs at the same moment, one thread and one connection each: how many ended
    as `done`, and how many were refused with each kind of Conflict."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], object]) -> str:
        barrier.wait()
        try:
            job()
            return done
        except Conflict as refused:
            return type(refused).__name__
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return Counter(pool.map(run, jobs))


def wait_until_waiting_for_a_lock(pid: int) -> None:
    """Return once PostgreSQL says backend `pid` waits for a row lock: a test holds one
    transaction open until the other is inside its own, and nothing waits on a clock."""
    deadline = time.monotonic() + 30
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() == ("Lock",):
                return
    raise AssertionError(f"backend {pid} never waited for a row lock")

"""Where a citizen's status lookup spends its time, in one process, without concurrency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evac_lookup \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/portal_lookup.py --people 10000
    ... --reuse            # keep the database a previous run loaded
    ... --profile lookup   # and print cProfile's top functions for that page

Loads --people citizens with bench/staff_pages.py's loader (households, 70 % waiting, a
flight per 200 people) into the PostgreSQL database DATABASE_URL names, then drives the
portal through Django's test client with the production settings the surge benchmark uses
(DEBUG off, the Redis cache at REDIS_URL for the rate limits, the full middleware) and,
beside it, the surge benchmark's bare view. For each page: the median time, the queries and
their time, and the Redis round trips (a pipeline is one) and their time. Each lookup is of
another person (waiting ones, among the last registered, so most of the list is ahead), as a
crowd of citizens would be; each reload is of the person the browser looked up.
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.surge.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("EVAC_STATIC_MANIFEST", "0")  # no collectstatic needed in-process
os.environ.setdefault("LOG_FORMAT", "text")
if os.environ.get("REDIS_URL"):
    os.environ.setdefault("CACHE_URL", os.environ["REDIS_URL"])
# Hundreds of lookups from one address: far over the real limits, still counted.
os.environ.setdefault("EVAC_PORTAL_RATE_PER_IP", "1000000/m")
os.environ.setdefault("EVAC_PORTAL_RATE_PER_CODE", "1000000/m")

import django

ROUNDS = 40


@dataclass
class Tally:
    """Queries and Redis round trips of one request, with the time each took."""

    queries: int = 0
    sql_seconds: float = 0.0
    redis: int = 0
    redis_seconds: float = 0.0
    statements: list[tuple[float, str]] = field(default_factory=list)


_tally: Tally | None = None


def _count_redis() -> None:
    """Count each command or pipeline sent to Redis as one round trip, with its time."""
    from redis.client import Pipeline, Redis

    def counted(method: Callable) -> Callable:
        def call(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                if _tally is not None:
                    _tally.redis += 1
                    _tally.redis_seconds += time.perf_counter() - started

        return call

    # A pipeline queues its commands through its own execute_command and sends them at once.
    Pipeline.execute = counted(Pipeline.execute)
    Redis.execute_command = counted(Redis.execute_command)


def _count_sql(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        if _tally is not None:
            took = time.perf_counter() - started
            _tally.queries += 1
            _tally.sql_seconds += took
            _tally.statements.append((took, sql))


def tallied(run: Callable[[], object]) -> tuple[float, Tally]:
    from django.db import connection

    global _tally
    _tally = Tally()
    with connection.execute_wrapper(_count_sql):
        started = time.perf_counter()
        run()
        took = time.perf_counter() - started
    found, _tally = _tally, None
    return took, found


@dataclass
class Row:
    name: str
    seconds: list[float] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)

    def add(self, took: float, tally: Tally) -> None:
        self.seconds.append(took)
        self.tallies.append(tally)

    def line(self) -> str:
        median = statistics.median
        return (
            f"| {self.name} | {median(self.seconds) * 1000:.1f} | "
            f"{median(t.queries for t in self.tallies):.0f} | "
            f"{median(t.sql_seconds for t in self.tallies) * 1000:.1f} | "
            f"{median(t.redis for t in self.tallies):.0f} | "
            f"{median(t.redis_seconds for t in self.tallies) * 1000:.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--reuse", action="store_true", help="keep the database loaded before")
    parser.add_argument("--profile", choices=["lookup", "reload", "form"], default=None)
    parser.add_argument("--sql", action="store_true", help="print each page's statements once")
    arguments = parser.parse_args()
    if not arguments.reuse:
        from bench.database import recreate_database

        recreate_database(example_name="evac_lookup")
    django.setup()
    import staff_pages
    from django.test import Client
    from django.urls import reverse

    from evac.people.models import Citizen

    if arguments.reuse:
        operation, _user, _big = staff_pages.reuse()
    else:
        started = time.perf_counter()
        operation, _user, _big = staff_pages.load(random.Random(2026), arguments.people)
        print(f"loaded {arguments.people:,} people in {time.perf_counter() - started:.0f} s")
    _count_redis()
    print(f"load average: {os.getloadavg()}")
    status = reverse("portal:status", args=[operation.slug])
    people = list(
        Citizen.objects.filter(operation=operation, status="waiting")
        .order_by("-registered_at")
        .values_list("reference_code", "date_of_birth")[: max(arguments.rounds * 4, 100)]
    )
    random.Random(7).shuffle(people)
    pages = {
        name: Row(name)
        for name in (
            "bare view",
            "lookup form (GET)",
            "lookup (POST + status page)",
            "status page, reloaded",
        )
    }

    def lookup(client: Client, person: tuple) -> None:
        reference, born = person
        answer = client.post(
            status, {"reference": reference, "date_of_birth": born.isoformat()}, follow=True
        )
        assert answer.status_code == 200 and b'name="reference"' not in answer.content

    def one_round(n: int) -> None:
        client = Client()
        pages["bare view"].add(*tallied(lambda: client.get("/bench/bare/")))
        pages["lookup form (GET)"].add(*tallied(lambda: client.get(status)))
        pages["lookup (POST + status page)"].add(*tallied(lambda: lookup(client, people[n])))
        pages["status page, reloaded"].add(*tallied(lambda: client.get(status)))

    for n in range(3):  # warm: templates compiled, translations loaded, connections open
        one_round(len(people) - 1 - n)
    for row in pages.values():
        row.seconds.clear()
        row.tallies.clear()
    for n in range(arguments.rounds):
        one_round(n)
    print("\n| page | median (ms) | queries | SQL (ms) | Redis round trips | Redis (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in pages.values():
        print(row.line())
    if arguments.sql:
        for row in pages.values():
            print(f"\n{row.name}:")
            for took, sql in row.tallies[-1].statements:
                print(f"  {took * 1000:5.1f} ms  {sql[:150]}")
    if arguments.profile:
        client = Client()
        client.get(status)
        lookup(client, people[-10])
        runs = {
            "form": lambda: Client().get(status),
            "lookup": lambda: [lookup(client, people[-20 - k]) for k in range(20)],
            "reload": lambda: [client.get(status) for _ in range(20)],
        }
        profiler = cProfile.Profile()
        profiler.runcall(runs[arguments.profile])
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()

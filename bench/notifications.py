"""How fast due notifications go out through Redis, against a no-op Celery task.

Starts one real `celery worker --pool=prefork --concurrency=2` on Redis and, in the same
run, measures two things with the worker warm:

- baseline: 10,000 no-op tasks (evac.core.tasks.ping) drained from a full queue;
- notifications: 10,000 due SMS notifications — queued by the dispatcher as one task each —
  claimed, written to the file SMS backend and recorded as sent.

Each time runs from the moment the worker starts consuming a full queue (its consumer is
paused while the queue fills) until the work is done: for the no-op, the queue is empty and
nothing is active; for notifications, every row is "sent". The ratio notifications / no-op
is what a send costs on top of Celery's own work. Target (issue 4): at least 0.5.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evac_bench_notify \\
    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/notifications.py

The database in DATABASE_URL is dropped and made anew; the Redis database in REDIS_URL is
emptied first, so give it one nothing else uses.
Results go in BENCHMARKS.md.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import suppress
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

COUNT = int(os.environ.get("COUNT", "10000"))
# Messages each worker process may hold ahead: with acks_late a send is acknowledged only
# when done, and at the default of 1 every process waits for the broker between sends.
PREFETCH = int(os.environ.get("PREFETCH", "1"))
LOG_LEVEL = os.environ.get("WORKER_LOG_LEVEL", "warning")
WAIT_SECONDS = 600
# Required, and emptied: a Redis database of the benchmark's own, not one tests or CI use.
REDIS_URL = os.environ.get("REDIS_URL") or sys.exit("Set REDIS_URL=redis://…/<a spare db>")
SCRATCH = Path(tempfile.mkdtemp(prefix="evac-bench-notify-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="evac.settings",
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only"),
    CELERY_BROKER_URL=REDIS_URL,
    EVAC_VAR_DIR=str(SCRATCH / "var"),
    EVAC_SMS_BACKEND="evac.notifications.sms.FileSmsBackend",
    EVAC_SMS_FILE=str(SCRATCH / "sms-outbox.log"),
    # As README advises for workers: keep the database connection between tasks.
    CELERY_DB_REUSE_MAX=os.environ.get("CELERY_DB_REUSE_MAX", "100"),
)
os.environ.pop("CELERY_RESULT_BACKEND", None)

import django  # noqa: E402

from bench.database import recreate_database  # noqa: E402


def start_worker() -> subprocess.Popen:
    log = (SCRATCH / "worker.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "evac", "worker", "--pool=prefork",
         "--concurrency=2", f"--prefetch-multiplier={PREFETCH}", f"--loglevel={LOG_LEVEL}",
         "--without-mingle", "--without-gossip"],
        cwd=BASE_DIR, env={**os.environ, "PYTHONPATH": str(BASE_DIR)},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def stop_worker(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_for(condition, what: str, poll: float = 0.02) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"{what}: not within {WAIT_SECONDS}s; see {SCRATCH / 'worker.log'}")
        time.sleep(poll)


def main() -> None:
    recreate_database(example_name="evac_bench_notify")
    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import connection

    from evac.celery import app
    from evac.core.clock import now
    from evac.core.tasks import ping
    from evac.notifications import delivery
    from evac.notifications.models import Notification
    from evac.notifications.queue import queue_sends
    from evac.operations.models import Operation
    from evac.people.models import Citizen
    from evac.places.models import City

    call_command("migrate", verbosity=0)
    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    operation = Operation.objects.create(name="Bench", slug="bench", country="KZ",
                                         starts_on=now().date())  # fmt: skip
    city = City.objects.create(name="Almaty", country="KZ", time_zone="Asia/Almaty")
    person = Citizen.objects.create(
        operation=operation, surname="Bench", given_names="Olena", date_of_birth="1985-03-14",
        sex="F", nationality="UA", document_type="none", current_city=city,
        source="import", phone="+77011234567",
    )  # fmt: skip
    connection.close()  # the worker forks nothing of ours, but keep the bench's side clean

    worker = start_worker()
    try:
        app.control.ping(timeout=30)
        wait_for(lambda: bool(app.control.ping(timeout=1)), "worker start", poll=0.5)
        inspector = app.control.inspect(timeout=1)

        def pause():
            app.control.cancel_consumer("celery", reply=True, timeout=5)

        def resume():
            app.control.add_consumer("celery", reply=True, timeout=5)

        # Warm up both paths (imports, first connections) before timing anything.
        ping.delay("warm")
        wait_for(lambda: broker.llen("celery") == 0, "warm-up")

        # Baseline: a full queue of no-op tasks.
        pause()
        with app.producer_or_acquire() as producer:
            for _ in range(COUNT):
                ping.apply_async(("x",), producer=producer)
        started = time.perf_counter()
        resume()
        wait_for(lambda: broker.llen("celery") == 0, "no-op tasks drained")
        wait_for(lambda: not any((inspector.active() or {}).values()), "no-op tasks done", 0.05)
        noop_seconds = time.perf_counter() - started

        # Notifications: COUNT due rows, queued by the dispatcher, sent by the worker.
        moment = now() - timedelta(seconds=1)
        Notification.objects.bulk_create(
            Notification(
                operation=operation, citizen=person, channel="sms", kind="broadcast",
                language="en", body=f"Bench message {i}", to_address="+77011234567",
                due_at=moment, idempotency_key=f"bench:{i}",
            )
            for i in range(COUNT)
        )  # fmt: skip
        pause()
        dispatch_started = time.perf_counter()
        queued = 0
        while ids := delivery.notifications_due_for_dispatch(limit=2000):
            queued += queue_sends(ids)
        dispatch_seconds = time.perf_counter() - dispatch_started
        assert queued == COUNT, queued
        unsent = Notification.objects.exclude(status="sent")
        started = time.perf_counter()
        resume()
        wait_for(lambda: not unsent.exists(), "notifications sent", 0.05)
        send_seconds = time.perf_counter() - started
    finally:
        stop_worker(worker)

    lines = Counter(line.split('"reference": "')[1].split('"')[0]
                    for line in (SCRATCH / "sms-outbox.log").read_text().splitlines())  # fmt: skip
    assert len(lines) == COUNT and max(lines.values()) == 1, "a message went out twice"

    noop_rate, send_rate = COUNT / noop_seconds, COUNT / send_seconds
    database = connection.settings_dict["ENGINE"].rsplit(".", 1)[1]
    print(f"{COUNT:,} tasks, worker prefork -c 2, Redis, {database}")
    print(f"no-op task:      {noop_seconds:6.2f} s  {noop_rate:7.0f} tasks/s")
    print(f"notification:    {send_seconds:6.2f} s  {send_rate:7.0f} sends/s  (each once)")
    print(f"dispatch:        {dispatch_seconds:6.2f} s  to select and queue {COUNT:,}")
    print(f"ratio notification / no-op: {send_rate / noop_rate:.2f} (target >= 0.5)")
    print(f"worker log: {SCRATCH / 'worker.log'}")


if __name__ == "__main__":
    main()

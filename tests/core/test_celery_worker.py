"""A real `celery worker` and `celery beat` in subprocesses, configured by settings.py.

Unit tests run tasks eagerly or not at all; these prove that a producer and a worker started
from the same environment find each other through the broker, on the embedded default
(kombu's filesystem transport) and on Redis, and that beat sends what the database schedules.
"""

import json
import os
import runpy
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.conftest import REDIS_URL

BASE_DIR = Path(settings.BASE_DIR)
# Generous: a cold start of Django + Celery on a loaded 2-core CI machine takes a few seconds.
WAIT_SECONDS = 60


def _environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    """The environment of a Celery process that keeps all its files under tmp_path."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("CELERY_")}
    results = tmp_path / "results"
    results.mkdir(exist_ok=True)
    env.update(
        DJANGO_SETTINGS_MODULE="evac.settings",
        PYTHONPATH=str(BASE_DIR),
        PYTHONUNBUFFERED="1",
        EVAC_VAR_DIR=str(tmp_path / "var"),
        CELERY_QUEUE_DIR=str(tmp_path / "queue"),
        # Celery's file:// result backend, so the test can read results without a server.
        CELERY_RESULT_BACKEND=f"file://{results}",
        # Nothing here touches the database unless a test says otherwise; keep it private.
        DATABASE_URL=f"sqlite:///{tmp_path / 'evac.sqlite3'}",
    )
    env.update(variables)
    return env


def _client_app(env: dict[str, str]) -> Celery:
    """A Celery app configured by settings.py under `env`, as evac/celery.py configures its own.

    It is a fresh app, not evac.celery.app, so nothing here changes the app other tests use.
    """
    with mock.patch.dict(os.environ, env, clear=True):
        namespace = runpy.run_path(str(BASE_DIR / "evac" / "settings.py"))
    config = {name: value for name, value in namespace.items() if name.startswith("CELERY_")}
    app = Celery("evac-test-client", set_as_current=False)
    app.config_from_object(config, namespace="CELERY")
    return app


@contextmanager
def _celery(
    tmp_path: Path, env: dict[str, str], *arguments: str
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `celery -A evac <arguments>` until the block ends; its output goes to a log file."""
    # Run from an empty directory, so a test can tell if Celery leaves files where it runs.
    workdir = tmp_path / "workdir"
    workdir.mkdir(exist_ok=True)
    log_path = tmp_path / f"{arguments[0]}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "evac", *arguments, "--loglevel=info"],
            env=env,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group, so the worker's pool processes are stopped with it.
            start_new_session=True,
        )
        try:
            yield process
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (Celery's warm shutdown), then SIGKILL if it's still running after a while."""
    for signal_number in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError):  # the whole group has already exited
            os.killpg(process.pid, signal_number)
        try:
            process.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            continue


def _log(tmp_path: Path, name: str) -> str:
    return (tmp_path / f"{name}.log").read_text(errors="replace")


def _ping_through_a_worker(tmp_path: Path, env: dict[str, str], payload: str) -> str:
    producer = _client_app(env)
    try:
        with _celery(tmp_path, env, "worker", "--pool=prefork", "--concurrency=1"):
            result = producer.send_task("evac.core.tasks.ping", args=[payload])
            try:
                return result.get(timeout=WAIT_SECONDS)
            except CeleryTimeout:
                pytest.fail(
                    f"no answer within {WAIT_SECONDS}s; worker log:\n{_log(tmp_path, 'worker')}"
                )
    finally:
        producer.close()


def test_a_worker_on_the_embedded_default_runs_a_task(tmp_path):
    env = _environment(tmp_path)

    assert _ping_through_a_worker(tmp_path, env, "over the filesystem") == "over the filesystem"

    # kombu keeps its exchange bindings in the queue directory too (its default is "control"
    # in the current directory): nothing is left where the worker happened to start.
    assert any((tmp_path / "queue" / "control").iterdir())
    assert list((tmp_path / "workdir").iterdir()) == []


@pytest.mark.redis
def test_a_worker_on_redis_runs_a_task(tmp_path):
    env = _environment(tmp_path, CELERY_BROKER_URL=REDIS_URL, CELERY_RESULT_BACKEND=REDIS_URL)

    assert _ping_through_a_worker(tmp_path, env, "over redis") == "over redis"


def _database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database this test process is connected to (the test database)."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict["HOST"] or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{settings_dict['NAME']}"


# transaction=True: the rows must be committed for the beat process to see them.
@pytest.mark.django_db(transaction=True)
def test_beat_sends_the_tasks_the_database_schedules(tmp_path):
    # Only this schedule: the ones Evac's migrations install (the dispatcher every few
    # seconds, the nightly jobs) are still there when no earlier test has emptied the tables,
    # and beat would send those first.
    PeriodicTask.objects.all().delete()
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="ping from beat",
        task="evac.core.tasks.ping",
        interval=every_second,
        args=json.dumps(["from beat"]),
    )
    # Beat reads the schedule from the test database through DatabaseScheduler; the test
    # takes the place of the worker and reads what beat put on the filesystem queue.
    env = _environment(tmp_path, DATABASE_URL=_database_url(connection.settings_dict))
    consumer = _client_app(env)
    try:
        with (
            _celery(tmp_path, env, "beat"),
            consumer.connection_for_read() as broker,
            broker.SimpleQueue("celery") as queue,
        ):
            try:
                message = queue.get(block=True, timeout=WAIT_SECONDS)
            except queue.Empty:
                pytest.fail(f"beat sent nothing in {WAIT_SECONDS}s; log:\n{_log(tmp_path, 'beat')}")
            message.ack()
    finally:
        consumer.close()

    assert message.headers["task"] == "evac.core.tasks.ping"
    args, kwargs, _ = message.decode()
    assert (args, kwargs) == (["from beat"], {})

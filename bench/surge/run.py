"""A crisis hour on Evac, measured: gunicorn on PostgreSQL and Redis, driven by Locust.

    .venv/bin/pip install -r bench/requirements.txt   # Locust, once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evac_surge \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/surge/run.py --people 10000

Recreates the database in DATABASE_URL and loads --people citizens (bench/staff_pages.py's
loader: households, 70 % waiting, a flight per 200 people, one with 400 passengers), 20 staff
with a password and a backup code for the second step, and writes the people to look up to a
JSON file. With --reuse, a database that already holds the --people asked for is migrated
and kept instead (a million people take ten minutes to load). Then it starts, on loopback
only, gunicorn with deploy/gunicorn.conf.py (the production settings: DEBUG off, whitenoise,
Redis cache at REDIS_URL, Celery broker on the next Redis db) and one Celery worker with
beat, which runs the dispatcher and sends through the file SMS backend. Three headless
Locust runs follow, on the same servers:

1. the crisis mix (bench/surge/locustfile.py) for --seconds;
2. the bare Django view alone, every user firing without pause (its ceiling);
3. the portal lookup alone, the same way.

Raised for the load test, because every simulated citizen comes from 127.0.0.1: the portal's
per-address and per-code lookup limits and the registration limits per address and per
contact (EVAC_PORTAL_*_RATE_*), and the SMS send rate (EVAC_SMS_PER_SECOND=200 instead of 1),
so the dispatcher's work is measured rather than its throttle. Every request still goes
through the limit checks. Results: tables on stdout, Locust's CSVs in var/surge/.
"""

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The embedded default (--embedded): SQLite, the file cache and Celery's filesystem queue.
EMBEDDED = "--embedded" in sys.argv or os.environ.get("SURGE_EMBEDDED") == "1"
VAR = ROOT / "var" / ("surge-embedded" if EMBEDDED else "surge")
# Shared by both kinds of run: collecting takes minutes on a busy machine.
STATIC = ROOT / "var" / "surge-static"
# Loopback only; SURGE_BIND moves it (the machine may be shared: pick a free port).
BIND = os.environ.get("SURGE_BIND", "127.0.0.1:8461")
# The paced run: this many requests a second of citizens looking up their status.
PACED_RATE = 100
PACED_USERS = 50
MIX = ["ScheduleReader", "StatusChecker", "Registrant", "Staff", "BareView"]
LIMITS = {
    "EVAC_PORTAL_RATE_PER_IP": "1000000/m",
    "EVAC_PORTAL_RATE_PER_CODE": "1000000/m",
    "EVAC_PORTAL_REGISTER_RATE_PER_IP": "1000000/m",
    "EVAC_PORTAL_REGISTER_RATE_PER_CONTACT": "1000000/m",
    "EVAC_SMS_PER_SECOND": "200",
}
STAFF = 20
STAFF_PASSWORD = "surge-bench-2026"  # noqa: S105 (benchmark accounts in a throwaway database)


def environment() -> dict[str, str]:
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6")
    base, db = redis.rsplit("/", 1)
    # The broker on the next Redis db unless CELERY_BROKER_URL says (e.g. the cache's own db).
    broker = os.environ.get("CELERY_BROKER_URL") or f"{base}/{int(db) + 1}"
    env = {
        **os.environ,
        **LIMITS,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.surge.settings",
        "DEBUG": "0",
        "EVAC_HTTPS": "0",
        "SECRET_KEY": "surge-bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_URL": redis,
        "CELERY_BROKER_URL": broker,
        "EVAC_VAR_DIR": str(VAR),
        "STATIC_ROOT": str(STATIC),
        "EVAC_BIND": BIND,
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_DB_REUSE_MAX": "100",
        "GUNICORN_ACCESS_LOG": str(VAR / "access.log"),
        "GUNICORN_LOG_LEVEL": "warning",
        "SURGE_EMBEDDED": "1" if EMBEDDED else "0",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    if EMBEDDED:
        env["DATABASE_URL"] = f"sqlite:///{VAR / 'surge.sqlite3'}"
        env["CELERY_BROKER_URL"] = "filesystem://"
        env.pop("CACHE_URL")  # the file cache in EVAC_VAR_DIR
    return env


def prepare(people: int, reuse: bool = False) -> None:
    """The database, the staff and the people to look up (runs in this process).

    With `reuse`, a database that already holds the people asked for is migrated and kept,
    not made anew: a million people take minutes to load, and every run after the first
    measures the same list (plus the few hundred that earlier runs' registrants added).
    """
    os.environ.update(environment())
    sys.path.insert(0, str(ROOT / "bench"))
    import staff_pages  # the loader shared with bench/staff_pages.py

    loaded = reuse and holds(people)
    if loaded:
        print(f"reusing the database's {people:,} people (migrated first)", flush=True)
    elif EMBEDDED:
        for leftover in ("surge.sqlite3", "surge.sqlite3-wal", "surge.sqlite3-shm"):
            (VAR / leftover).unlink(missing_ok=True)
        for folder in ("cache", "celery"):
            shutil.rmtree(VAR / folder, ignore_errors=True)
    else:
        staff_pages.recreate_database()
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from evac.accounts.services import backup_codes_renew
    from evac.operations.models import Membership, Role
    from evac.people.models import Citizen
    from tests.logins import authenticator_for

    started = time.perf_counter()
    if loaded:
        operation, _user, big = staff_pages.reuse()
    else:
        operation, _user, big = staff_pages.load(random.Random(2026), people)
        print(f"loaded {people:,} citizens in {time.perf_counter() - started:.0f} s", flush=True)
    staff = []
    for n in range(STAFF):
        user, _new = User.objects.get_or_create(username=f"surge-staff-{n}")
        user.set_password(STAFF_PASSWORD)
        user.save()
        role = Role.COORDINATOR if n % 4 == 0 else Role.OFFICER
        Membership.objects.update_or_create(user=user, operation=operation, defaults={"role": role})
        authenticator_for(user)
        code = backup_codes_renew(user)[0]
        staff.append({"username": user.username, "password": STAFF_PASSWORD, "code": code})
    sample = list(
        Citizen.objects.filter(operation=operation)
        .order_by("?")
        .values("reference_code", "date_of_birth", "surname")[:2000]
    )
    VAR.mkdir(parents=True, exist_ok=True)
    data = {
        "operation": operation.slug,
        "cities": list(operation.citizens.values_list("current_city", flat=True).distinct()),
        "manifest_flight": big.pk,
        "staff": staff,
        "people": [
            {
                "reference": p["reference_code"],
                "date_of_birth": p["date_of_birth"].isoformat(),
                "surname": p["surname"],
            }
            for p in sample
        ],
    }
    (VAR / "data.json").write_text(json.dumps(data))
    if static_out_of_date():
        call_command("collectstatic", interactive=False, verbosity=0)


def holds(people: int) -> bool:
    """Whether the database already holds the bench operation with `people` citizens: those
    loaded, and less than 5 % more that earlier runs' registrants added."""
    import psycopg

    url = environment()["DATABASE_URL"]
    try:
        with psycopg.connect(url) as conn:
            found = conn.execute(
                "SELECT count(*) FROM people_citizen c JOIN operations_operation o "
                "ON o.id = c.operation_id WHERE o.slug = 'bench'"
            ).fetchone()
    except psycopg.Error:  # no such database, or no tables yet
        return False
    return people <= found[0] < people * 1.05


def static_out_of_date() -> bool:
    """Whether any of Evac's static files changed since the last collectstatic here."""
    manifest = STATIC / "staticfiles.json"
    if not manifest.exists():
        return True
    sources = [*(ROOT / "static").rglob("*"), *(ROOT / "evac").glob("*/static/**/*")]
    return max(path.stat().st_mtime for path in sources) > manifest.stat().st_mtime


def start_servers(env: dict[str, str]) -> list[subprocess.Popen]:
    bin_dir = ROOT / ".venv" / "bin"
    web = subprocess.Popen(
        [bin_dir / "gunicorn", "-c", "deploy/gunicorn.conf.py", "evac.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=(VAR / "gunicorn.out").open("w"),
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [bin_dir / "celery", "-A", "evac", "worker", "-B", "--concurrency", "2",
         "--loglevel", "warning", "--schedule", str(VAR / "celerybeat-schedule")],
        cwd=ROOT,
        env=env,
        stdout=(VAR / "worker.out").open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    import urllib.request

    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://{BIND}/healthz", timeout=2).read()
            return [web, worker]
        except OSError:
            time.sleep(1)  # waiting for gunicorn to boot, with a bound
    raise SystemExit(f"gunicorn did not answer; see {VAR / 'gunicorn.out'}")


def log_staff_in() -> None:
    """Each of the 20 staff logs in through the pages (password, then a backup code), one
    after another before the measured window, as staff arrive at a shift; Locust's staff
    reuse these sessions. Logging in hashes a password on purpose, so 20 at once on the
    same cores would measure the hasher, not the crisis hour."""
    import requests

    data = json.loads((VAR / "data.json").read_text())
    took = []
    for login in data["staff"]:
        session = requests.Session()
        started = time.perf_counter()
        session.get(f"http://{BIND}/accounts/login/")
        form = {k: login[k] for k in ("username", "password")}
        answer = session.post(
            f"http://{BIND}/accounts/login/",
            data={**form, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        )
        answer = session.post(
            answer.url,
            data={"code": login["code"], "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        )
        if "/ops/" not in answer.url:
            raise SystemExit(f"staff login failed for {login['username']}: {answer.url}")
        took.append(time.perf_counter() - started)
        login["cookies"] = session.cookies.get_dict()
    (VAR / "data.json").write_text(json.dumps(data))
    took.sort()
    print(
        f"20 staff logins (form, password, second step), one at a time: median "
        f"{took[len(took) // 2] * 1000:.0f} ms, slowest {took[-1] * 1000:.0f} ms",
        flush=True,
    )


def locust(env: dict, name: str, users: int, seconds: int, classes: list[str], wait: str) -> dict:
    # Statistics restart once every user is spawned: the table is the steady state.
    subprocess.run(
        [ROOT / ".venv" / "bin" / "locust", "-f", "bench/surge/locustfile.py", "--headless",
         "--host", f"http://{BIND}", "-u", str(users), "-r", str(max(users // 5, 1)),
         "-t", f"{seconds}s", "--csv", str(VAR / name), "--only-summary", "--stop-timeout", "5",
         "--loglevel", "WARNING", "--reset-stats", *classes],
        cwd=ROOT,
        env={
            **env,
            "SURGE_DATA": str(VAR / "data.json"),
            "SURGE_WAIT": wait,
            "SURGE_PACE": str(PACED_RATE / 4 / PACED_USERS),  # a citizen's task: 4 requests
        },
        check=False,
    )  # fmt: skip
    return print_table(name)


def print_table(name: str) -> dict:
    """Locust's statistics as a Markdown table; returns them by page name."""
    print(f"\n{name}\n")
    print("| page | requests | failures | req/s | p50 (ms) | p95 (ms) | p99 (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    rows = {}
    with open(VAR / f"{name}_stats.csv") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"] or row["Type"]] = row
            print(
                f"| {row['Name'] or row['Type']} | {row['Request Count']} | "
                f"{row['Failure Count']} | {float(row['Requests/s']):.1f} | {row['50%']} | "
                f"{row['95%']} | {row['99%']} |"
            )
    return rows


def against_the_goals(bare: dict, lookup: dict, paced: dict) -> None:
    """Issue 18's goals: the lookup at half the bare view's rate or more, in the same run;
    p95 under 300 ms with citizens looking up their status at 100 requests a second."""
    bare_rate = float(bare["bare Django view (baseline)"]["Requests/s"])
    lookups = float(lookup["portal lookup (POST + status page)"]["Requests/s"])
    print("\nagainst the goals\n")
    print(f"bare view alone: {bare_rate:.1f} req/s")
    print(
        f"lookup alone: {lookups:.1f} lookups/s (each a POST and the status page it leads to), "
        f"{lookups / bare_rate:.2f} of the bare view's rate (goal >= 0.50); counted as HTTP "
        f"requests, {2 * lookups / bare_rate:.2f}"
    )
    total = paced["Aggregated"]
    print(
        f"paced citizens' lookups: {float(total['Requests/s']):.1f} req/s, p95 "
        f"{total['95%']} ms over all their pages (goal: under 300 ms at {PACED_RATE} req/s)"
    )


def sms_sent() -> int:
    sms = VAR / "sms-outbox.log"
    return len(sms.read_text().splitlines()) if sms.exists() else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=60, help="length of the crisis mix")
    parser.add_argument("--users", type=int, default=60, help="simulated users in the mix")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database if it already holds --people (migrated first), else load it",
    )
    parser.add_argument(
        "--embedded",
        action="store_true",
        help="the embedded default instead: SQLite, the file cache, Celery's filesystem queue",
    )
    args = parser.parse_args()
    print(f"{args.people:,} people, {'SQLite (embedded)' if EMBEDDED else 'PostgreSQL + Redis'}")
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "sms-outbox.log").unlink(missing_ok=True)
    prepared = subprocess.run(
        [sys.executable, __file__, "--prepare", str(args.people), *(["reuse"] * args.reuse)],
        cwd=ROOT,
        env={**os.environ, "SURGE_EMBEDDED": "1" if EMBEDDED else "0"},
        check=False,
    )
    if prepared.returncode:
        raise SystemExit("preparing the database failed")
    env = environment()
    servers = start_servers(env)
    try:
        log_staff_in()
        print(f"\nload average before: {os.getloadavg()}")
        locust(env, "mix", args.users, args.seconds, MIX, "mix")
        print(f"load average after the mix: {os.getloadavg()}")
        time.sleep(5)  # let the dispatcher catch up with the registrations' messages
        print(f"SMS handed to the file backend during the mix (+5 s): {sms_sent()}")
        alone = max(args.seconds // 2, 10)
        bare = locust(env, "bare_alone", 20, alone, ["BareView"], "none")
        lookup = locust(env, "lookup_alone", 20, alone, ["Lookup"], "none")
        paced = locust(env, "lookup_paced", PACED_USERS, alone, ["StatusChecker"], "paced")
        against_the_goals(bare, lookup, paced)
        print(f"load average at the end: {os.getloadavg()}")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) in (3, 4) and sys.argv[1] == "--prepare":
        prepare(int(sys.argv[2]), reuse=sys.argv[3:] == ["reuse"])
    else:
        main()

"""Checks for scripts/scale_out_check.sh: two web instances, two workers, one beat.

Usage: scale_out_check.py <log of the processes>. Exits non-zero at the first failure.
"""

import os
import re
import secrets
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent))
from prod_local_check import check, log_in

A = f"http://{os.environ['EVAC_BIND_A']}"
B = f"http://{os.environ['EVAC_BIND_B']}"
PASSWORD = os.environ.get("EVAC_DEMO_PASSWORD", "evac-demo-2022")
RATE_PER_IP = int(os.environ.get("EVAC_PORTAL_RATE_PER_IP", "30/10m").split("/")[0])
LOCKOUT_AFTER = int(os.environ.get("EVAC_LOGIN_FAILURE_LIMIT", "5"))


def csrf_headers(session: requests.Session, base: str) -> dict[str, str]:
    return {"X-CSRFToken": session.cookies["csrftoken"], "Referer": base}


def session_holds_across_instances() -> requests.Session:
    session = requests.Session()
    log_in(session, A)
    answer = session.get(f"{B}/staff/")
    check("/ops/" in answer.url, "a session opened on instance A is valid on instance B")
    return session


def bookings_never_oversell(session: requests.Session) -> None:
    api = f"/api/v1/operations/{operation(session)}"
    flights = session.get(f"{A}{api}/flights/").json()["results"]
    flight = min(
        (f for f in flights if f["status"] == "open" and f["seats_left"] > 0),
        key=lambda f: f["seats_left"],
    )
    seats = flight["seats_left"]
    people = []
    url = f"{A}{api}/citizens/?status=waiting"
    while url and len(people) < seats + 12:
        page = session.get(url).json()
        people += [p["reference"] for p in page["results"] if not p.get("household")]
        url = page.get("next")
    people = people[: seats + 12]
    check(len(people) > seats, f"more people waiting than the {seats} seats (a fresh database)")

    def book(pair: tuple[int, str]) -> int:
        index, reference = pair
        base = (A, B)[index % 2]
        worker_session = requests.Session()
        worker_session.cookies.update(session.cookies)
        return worker_session.post(
            f"{base}{api}/flights/{flight['id']}/bookings/",
            json={"citizen": reference},
            headers=csrf_headers(session, base),
        ).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(book, enumerate(people)))
    after = session.get(f"{B}{api}/flights/{flight['id']}/").json()
    check(
        answers.count(201) == seats and after["seats_left"] == 0,
        f"{len(people)} bookings for {seats} seats through both instances: "
        f"{answers.count(201)} booked, {answers.count(409)} refused as full, none oversold",
    )


def operation(session: requests.Session) -> str:
    return session.get(f"{A}/api/v1/operations/").json()["results"][0]["slug"]


def rate_limits_hold_across_instances(slug: str) -> None:
    visitor = requests.Session()
    for base in (A, B):
        visitor.get(f"{base}/p/{slug}/status/")
    limited_at = None
    for attempt in range(1, RATE_PER_IP + 10):
        base = (A, B)[attempt % 2]
        answer = visitor.post(
            f"{base}/p/{slug}/status/",
            data={
                "reference": secrets.token_hex(4).upper(),
                "surname": "Nobody",
                "csrfmiddlewaretoken": visitor.cookies["csrftoken"],
            },
            headers={"Referer": base},
        )
        if answer.status_code == 429:
            limited_at = attempt
            break
    check(
        limited_at == RATE_PER_IP + 1,
        f"the portal's limit of {RATE_PER_IP} lookups per address counts across both "
        f"instances (refused at lookup {limited_at})",
    )


def lockout_holds_across_instances() -> None:
    for attempt in range(LOCKOUT_AFTER):
        base = (A, B)[attempt % 2]
        visitor = requests.Session()
        visitor.get(f"{base}/accounts/login/")
        visitor.post(
            f"{base}/accounts/login/",
            data={
                "username": "viewer",
                "password": "wrong",
                "csrfmiddlewaretoken": visitor.cookies["csrftoken"],
            },
        )
    visitor = requests.Session()
    visitor.get(f"{A}/accounts/login/")
    answer = visitor.post(
        f"{A}/accounts/login/",
        data={
            "username": "viewer",
            "password": PASSWORD,
            "csrfmiddlewaretoken": visitor.cookies["csrftoken"],
        },
    )
    check(
        answer.status_code == 429,
        f"{LOCKOUT_AFTER} wrong passwords spread over both instances lock the account",
    )


def beat_counts(log: str) -> tuple[int, int, set[str]]:
    sent = len(re.findall(r"beat\.1 .*Sending due task .*dispatch_due", log))
    received = len(re.findall(r"worker\d\.1 .*dispatch_due\[[^\]]+\] received", log))
    return sent, received, set(re.findall(r"(beat\.\d) ", log))


def one_beat_schedules(log_path: Path) -> None:
    # The dispatcher runs every 30 s and its first run comes one interval after beat starts,
    # which can be after the checks above are done: watch the log until beat has sent it and
    # a worker has taken every send, for at most three intervals.
    deadline = time.monotonic() + 90
    while True:
        sent, received, beats = beat_counts(log_path.read_text(errors="replace"))
        if (sent >= 1 and received == sent) or time.monotonic() > deadline:
            break
        time.sleep(1)
    check(
        beats == {"beat.1"} and sent >= 1 and received == sent,
        f"one beat sent the dispatcher {sent} time(s) and the workers received it {received}",
    )


def main() -> None:
    session = session_holds_across_instances()
    bookings_never_oversell(session)
    rate_limits_hold_across_instances(operation(session))
    lockout_holds_across_instances()
    one_beat_schedules(Path(sys.argv[1]))


if __name__ == "__main__":
    main()

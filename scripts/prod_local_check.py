"""End-to-end check of a running `make prod-local` (scripts/prod_local_check.sh runs it).

/healthz; static files hashed and compressed; a coordinator's login with the second step;
a booking through the API in that session; its confirmation handed over by a worker; the
metrics endpoint. Exits non-zero, saying what failed, at the first thing that doesn't hold.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

BASE = f"http://{os.environ['EVAC_BIND']}"
VAR_DIR = Path(os.environ["EVAC_VAR_DIR"])
PASSWORD = os.environ.get("EVAC_DEMO_PASSWORD", "evac-demo-2022")
WAIT_SECONDS = 60


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"prod-local check FAILED: {what}")
    print(f"ok: {what}")


def sent_so_far() -> int:
    sms = VAR_DIR / "sms-outbox.log"
    mail = VAR_DIR / "mail"
    lines = len(sms.read_text().splitlines()) if sms.exists() else 0
    return lines + (len(list(mail.iterdir())) if mail.exists() else 0)


def log_in(session: requests.Session, base: str = BASE) -> None:
    session.get(f"{base}/accounts/login/")
    answer = session.post(
        f"{base}/accounts/login/",
        data={
            "username": "coordinator",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
    )
    check("two-factor/verify" in answer.url, "the password is accepted and the second step asked")
    code = subprocess.run(
        [sys.executable, "manage.py", "demo_code", "coordinator"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    answer = session.post(
        answer.url, data={"code": code, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    )
    check(
        answer.ok and "/ops/" in answer.url,
        f"the second step lets the coordinator in ({answer.url})",
    )


def book(session: requests.Session) -> None:
    api = f"{BASE}/api/v1"
    operation = session.get(f"{api}/operations/").json()["results"][0]["slug"]
    flights = session.get(f"{api}/operations/{operation}/flights/").json()["results"]
    flight = next(f for f in flights if f["status"] == "open" and f["seats_left"] > 0)
    waiting = session.get(f"{api}/operations/{operation}/citizens/?status=waiting").json()
    person = waiting["results"][0]["reference"]
    before = sent_so_far()
    answer = session.post(
        f"{api}/operations/{operation}/flights/{flight['id']}/bookings/",
        json={"citizen": person},
        headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": BASE},
    )
    check(
        answer.status_code == 201, f"a booking is made ({answer.status_code} {answer.text[:200]})"
    )
    deadline = time.monotonic() + WAIT_SECONDS
    while sent_so_far() == before and time.monotonic() < deadline:
        time.sleep(0.5)  # polling for the worker's send, with a deadline
    check(sent_so_far() > before, "a worker hands the booking confirmation over")


def main() -> None:
    health = requests.get(f"{BASE}/healthz", timeout=5)
    check(health.json() == {"database": "ok", "broker": "ok"}, f"/healthz: {health.text}")
    login_page = requests.get(f"{BASE}/accounts/login/", timeout=5).text
    stylesheet = re.search(r'href="(/static/css/evac\.[0-9a-f]{12}\.css)"', login_page)
    check(stylesheet is not None, "pages link static files by hashed names")
    css = requests.get(BASE + stylesheet.group(1), headers={"Accept-Encoding": "gzip"}, timeout=5)
    check(css.headers.get("Content-Encoding") == "gzip", "gunicorn serves them compressed")
    session = requests.Session()
    log_in(session)
    book(session)
    metrics = requests.get(
        f"{BASE}/metrics",
        headers={"Authorization": f"Bearer {os.environ['EVAC_METRICS_TOKEN']}"},
        timeout=10,
    )
    check(
        'evac_worker_last_heartbeat_timestamp_seconds{worker="worker1@' in metrics.text
        and 'worker="worker2@' in metrics.text,
        "/metrics shows both worker nodes' heartbeats",
    )


if __name__ == "__main__":
    main()

"""A crisis hour on Evac, as Locust users (bench/surge/run.py starts the servers and this).

Citizens read the public schedule, register (a household of one to three), look up their
status (reference code and date of birth, then the status page) and reload it; 20 staff,
logged in with the password and the second step, page through the registry, a citizen's
record, the flights and a 400-seat manifest and its export, and log calls on people's
records (the staff write in the mix). A bare Django view behind the
same middleware is hit alongside, as the baseline. The data (operation, staff logins,
people to look up) comes from the JSON file named in SURGE_DATA, written by run.py.

SURGE_WAIT=none makes every user fire without pause (the saturation runs); SURGE_WAIT=paced
makes each user run SURGE_PACE tasks a second (the run at a fixed rate).
"""

import json
import os
import random
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, constant, constant_throughput, task

DATA = json.loads(Path(os.environ["SURGE_DATA"]).read_text())
OP = DATA["operation"]
SATURATE = os.environ.get("SURGE_WAIT") == "none"
PACED = os.environ.get("SURGE_WAIT") == "paced"
SURNAMES = ["Hnatiuk", "Savchuk", "Rudenko", "Marchenko", "Petrenko", "Klymenko", "Pavlenko"]
GIVEN = ["Halyna", "Yurii", "Nadiia", "Bohdan", "Larysa", "Vasyl", "Zoriana", "Ostap"]


def citizen_wait():
    if PACED:
        return constant_throughput(float(os.environ["SURGE_PACE"]))
    return constant(0) if SATURATE else between(0.5, 2.0)


class ScheduleReader(HttpUser):
    """A citizen reading the public schedule of evacuation flights."""

    weight = 4
    wait_time = citizen_wait()

    @task
    def schedule(self) -> None:
        self.client.get(f"/p/{OP}/", name="public schedule")


class StatusChecker(HttpUser):
    """A registered citizen looking up where they are, then reloading the status page."""

    weight = 4
    wait_time = citizen_wait()

    @task
    def look_up(self) -> None:
        self.client.cookies.clear()
        self.client.get(f"/p/{OP}/status/", name="portal lookup form")
        look_up(self.client)
        for _ in range(2):
            self.client.get(f"/p/{OP}/status/", name="portal status page, reloaded")


def look_up(client) -> None:
    """A lookup: reference code and date of birth, then the status page it leads to."""
    person = random.choice(DATA["people"])
    with client.post(
        f"/p/{OP}/status/",
        data={
            "reference": person["reference"],
            "date_of_birth": person["date_of_birth"],
            "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
        },
        name="portal lookup (POST + status page)",
        catch_response=True,
    ) as answer:
        if "/status/" not in answer.url or 'name="reference"' in answer.text:
            answer.failure("the lookup did not find the person")


class Lookup(HttpUser):
    """Lookups and nothing else, one after another (the lookup's own rate; not in the mix)."""

    weight = 1
    wait_time = citizen_wait()

    def on_start(self) -> None:
        self.client.get(f"/p/{OP}/status/", name="portal lookup form")  # the CSRF cookie

    @task
    def look_up(self) -> None:
        look_up(self.client)


class Registrant(HttpUser):
    """A citizen registering themselves and up to two people with them."""

    weight = 1
    wait_time = citizen_wait()

    @task
    def register(self) -> None:
        self.client.cookies.clear()
        self.client.get(f"/p/{OP}/register/", name="register form")
        household = random.randint(1, 3)
        surname = f"{random.choice(SURNAMES)}-{random.randrange(10**6)}"
        data = {
            "people-TOTAL_FORMS": str(household),
            "people-INITIAL_FORMS": "0",
            "people-MIN_NUM_FORMS": "1",
            "people-MAX_NUM_FORMS": "12",
            "current_city": str(random.choice(DATA["cities"])),
            "temporary_address": f"Hotel Bench, room {random.randrange(1000)}",
            "consent": "on",
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        for n in range(household):
            person = {
                "surname": surname,
                "given_names": random.choice(GIVEN),
                "date_of_birth": f"{random.randint(1950, 2020)}-0{random.randint(1, 9)}-1{n}",
                "sex": random.choice("FM"),
                "nationality": "UA",
                "document_type": "passport",
                "document_number": f"FB{random.randrange(10**7):07d}",
                "phone": f"+7701{random.randrange(10**7):07d}" if n == 0 else "",
                "email": "",
                "preferred_language": "uk",
                "preferred_channel": "sms",
                "medical_details": "",
            }
            data.update({f"people-{n}-{k}": v for k, v in person.items()})
        with self.client.post(
            f"/p/{OP}/register/",
            data=data,
            name="register (POST + done page)",
            catch_response=True,
        ) as answer:
            if "/register/done/" not in answer.url:
                answer.failure(f"registration refused: {answer.status_code} {answer.url}")


class Staff(HttpUser):
    """One of 20 staff, logged in, working the registry, the flights and a manifest."""

    fixed_count = int(os.environ.get("SURGE_STAFF", "20"))
    wait_time = constant(0) if SATURATE else between(2.0, 5.0)

    def on_start(self) -> None:
        # Logged in by run.py through the pages (password, second step) before the run.
        # Each cookie goes in under the host's name, as the server's own Set-Cookie files it:
        # added without a domain (cookies.update), a cookie the server sets again later (the
        # CSRF token) sat beside the old one, and reading it for a POST raised "multiple
        # cookies with name 'csrftoken'", so no contact was ever logged.
        host = urlsplit(self.host).hostname
        for name, value in DATA["staff"].pop()["cookies"].items():
            self.client.cookies.set(name, value, domain=host, path="/")

    @task(2)
    def dashboard(self) -> None:
        self.client.get(f"/ops/{OP}/", name="staff: dashboard")

    @task(4)
    def registry(self) -> None:
        self.client.get(f"/ops/{OP}/citizens/", name="staff: citizen list")
        page = random.randint(2, 100)
        self.client.get(f"/ops/{OP}/citizens/?page={page}", name="staff: citizen list, deep page")

    @task(3)
    def search_and_open(self) -> None:
        person = random.choice(DATA["people"])
        self.client.get(
            f"/ops/{OP}/citizens/?q={person['surname'][:8]}", name="staff: citizen search"
        )
        self.client.get(f"/ops/{OP}/citizens/{person['reference']}/", name="staff: citizen record")

    @task(2)
    def log_contact(self) -> None:
        """A staff write in the mix: a call logged on a person's record, as the hotline does."""
        person = random.choice(DATA["people"])
        with self.client.post(
            f"/ops/{OP}/citizens/{person['reference']}/contact/",
            data={
                "channel": "phone",
                "direction": random.choice(["inbound", "outbound"]),
                "outcome": random.choice(["reached", "no_answer", "left_message"]),
                "note": "Surge hour: called about the next flight",
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="staff: log a contact (POST + record)",
            catch_response=True,
        ) as answer:
            # Logged: redirected to the record. Refused: the form again, at /contact/.
            if answer.status_code != 200 or answer.url.split("#")[0].endswith("/contact/"):
                answer.failure(f"contact not logged: {answer.status_code} {answer.url}")

    @task(2)
    def flights(self) -> None:
        self.client.get(f"/ops/{OP}/flights/", name="staff: flight list")

    @task(1)
    def manifest(self) -> None:
        flight = DATA["manifest_flight"]
        self.client.get(f"/ops/{OP}/flights/{flight}/", name="staff: manifest (400 seats)")
        self.client.get(f"/ops/{OP}/flights/{flight}/export.csv", name="staff: manifest export CSV")


class BareView(HttpUser):
    """The baseline: a bare Django view on the same gunicorn, in the same run."""

    weight = 1
    wait_time = citizen_wait()

    @task
    def bare(self) -> None:
        self.client.get("/bench/bare/", name="bare Django view (baseline)")

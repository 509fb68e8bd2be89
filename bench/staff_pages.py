"""How fast the busiest staff pages are at crisis scale, against the SQL they need.

Loads 100,000 citizens (`--people N`) and a flight per 200 of them, one with 400 passengers,
into a PostgreSQL database of its own, then times each page through Django's full stack
(URL routing, access checks, ORM, templates) and, as the baseline measured in the same run,
the bare SQL that page runs: the same statements, captured from the page and replayed on a
raw cursor. The ratio is what
Evac's Python adds on top of the database's own work.

Two public pages that read the whole waiting list are timed the same way: a citizen's
status lookup (a POST with the reference code and date of birth, then the status page it
leads to, which says how many people are ahead) and that status page reloaded. The portal's
rate limits are raised for the run, so the checks still count every lookup but never stop
one; before each replay of a lookup's SQL, the session row it writes is removed, untimed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evac_bench .venv/bin/python bench/staff_pages.py

`--pages "flight list,search"` times only the pages whose name holds one of those words.
Each page also has its CPU time in this process (Django, ORM, templates; PostgreSQL's work
is another process's): on a machine shared with other work, wall times swing with the
load, and this column is the steadier measure of what a change did to the Python.

The database named in DATABASE_URL is dropped and made anew. Results go in BENCHMARKS.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evac.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# Dozens of lookups of one person from one address: far over the real limits.
os.environ.setdefault("EVAC_PORTAL_RATE_PER_IP", "100000/m")
os.environ.setdefault("EVAC_PORTAL_RATE_PER_CODE", "100000/m")

import django

from bench.database import recreate_database

CITIZENS = 100_000  # --people; flights scale with them: one per 200 people
MANIFEST_SEATS = 400
ROUNDS = 15


def load(rng: random.Random, people: int):
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from evac.flights.models import Booking, Flight
    from evac.operations.models import Membership, Operation, Role
    from evac.people.models import Citizen
    from evac.people.queue import rebuild
    from evac.places.models import Airport, City

    call_command("migrate", verbosity=0)
    operation = Operation.objects.create(
        name="Bench", slug="bench", country="KZ", starts_on=date(2022, 1, 5)
    )
    user = User.objects.create_user("bench-coordinator")
    Membership.objects.create(user=user, operation=operation, role=Role.COORDINATOR)
    cities = [
        City.objects.create(name=f"City {i}", country="KZ", time_zone="Asia/Almaty")
        for i in range(12)
    ]
    airports = [
        Airport.objects.create(iata_code=code, name=f"Airport {code}", city=city)
        for code, city in zip(["AAA", "BBB", "CCC", "DDD"], cities, strict=False)
    ]
    surnames = [
        "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Oliinyk",
        "Shevchuk", "Polishchuk", "Melnyk", "Boiko", "Kovalchuk", "Moroz", "Lysenko",
    ]  # fmt: skip
    native = dict(zip(surnames, [
        "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник",
        "Шевчук", "Поліщук", "Мельник", "Бойко", "Ковальчук", "Мороз", "Лисенко",
    ], strict=True))  # fmt: skip
    given = ["Olena", "Taras", "Iryna", "Andrii", "Oksana", "Mykola", "Sofiia", "Dmytro"]
    if connection.vendor == "postgresql":
        load_people(operation, people, [c.pk for c in cities], surnames, native, given)
    else:  # the SQLite default (bench/surge/run.py --embedded)
        load_people_in_python(operation, people, [c.pk for c in cities], surnames, native, given)
    flight_count = people // 200
    departs = datetime(2030, 1, 1, 6, tzinfo=UTC)
    flights = Flight.objects.bulk_create(
        [
            Flight(
                operation=operation,
                number=f"PS{i:04d}",
                carrier="Bench Air",
                departure_airport=airports[i % 2],
                arrival_airport=airports[2 + i % 2],
                departs_at=departs + timedelta(hours=6 * i),
                arrives_at=departs + timedelta(hours=6 * i + 5),
                seats_total=MANIFEST_SEATS,
                status=rng.choice(["planned", "open", "landed", "cancelled"]),
            )
            for i in range(flight_count)
        ]
    )
    big = flights[0]
    Flight.objects.filter(pk=big.pk).update(status="open", seats_booked=MANIFEST_SEATS)
    passengers = Citizen.objects.filter(status="waiting").order_by("pk")[:MANIFEST_SEATS]
    Booking.objects.bulk_create([Booking(flight=big, citizen=c) for c in passengers])
    Citizen.objects.filter(pk__in=[c.pk for c in passengers]).update(status="booked")
    # The rows above were written in bulk, past the saves that keep each person's standing
    # on the waiting list: written for everyone at once, as the migration does.
    started = time.perf_counter()
    rebuild(operation.pk)
    print(f"waiting-list standing written in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return operation, user, big


def load_people(
    operation, people: int, cities: list[int], surnames: list[str], native: dict, given: list[str]
) -> None:
    """Households and citizens generated inside PostgreSQL (generate_series): a million
    rows in well under a minute, where building them as Python objects takes many.

    The same shape as registrations: a tenth as many households as people, three people in
    each (30 % of people), 70 % waiting, 5 % with a medical need, names from a short list
    with a number so that searches match a few hundred people. Reference codes are the
    row number written in the code alphabet, so unique without a check.
    """
    from django.db import connection

    from evac.core.reference import ALPHABET, LENGTH

    statuses = ["waiting"] * 14 + ["evacuated"] * 3
    statuses += ["decided_to_stay", "unreachable", "left_by_own_means"]
    digits = " || ".join(
        f"substr(%(alphabet)s, ((i / {29**k}) %% 29)::int + 1, 1)" for k in range(LENGTH)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2022)")
        cursor.execute(
            "INSERT INTO people_household (operation_id, created_at) "
            "SELECT %(op)s, %(at)s FROM generate_series(1, %(n)s)",
            {"op": operation.pk, "at": datetime(2022, 1, 5, tzinfo=UTC), "n": people // 10},
        )
        cursor.execute(
            "SELECT min(id) FROM people_household WHERE operation_id = %s", [operation.pk]
        )
        first_household = cursor.fetchone()[0]
        # Only `digits`, made of constants above, is formatted in; the rest are parameters.
        cursor.execute(
            f"""
            INSERT INTO people_citizen (
                reference_code, surname, given_names, surname_native, given_names_native,
                date_of_birth, sex, nationality, document_type, document_number,
                document_issuing_country, phone, email, preferred_language, preferred_channel,
                temporary_address, medical_need, medical_details, reduced_mobility, pregnant,
                status, source, registered_at, last_contacted_at, notes, current_city_id,
                operation_id, household_id, needs_claimed, stretcher, wheelchair,
                queue_priority, queue_first, queue_size, vulnerable_counted
            )
            SELECT {digits},
                (%(surnames)s::text[])[s] || (i %% 997), (%(given)s::text[])[1 + i %% 8],
                (%(native)s::text[])[s], '',
                DATE '1940-01-01' + (random() * 30000)::int,
                CASE WHEN random() < 0.5 THEN 'F' ELSE 'M' END, 'UA', 'passport',
                'F' || lpad(i::text, 7, '0'), '', '+3806' || lpad(i::text, 8, '0'), '',
                'uk', 'sms', '', random() < 0.05, '', false, false,
                (%(statuses)s::text[])[1 + floor(random() * 20)::int],
                'staff_intake', %(start)s + make_interval(mins => (random() * 10080)::int),
                CASE WHEN random() < 0.3 THEN NULL ELSE %(start)s + interval '3 days' END,
                '', (%(cities)s::bigint[])[1 + floor(random() * %(city_count)s)::int],
                %(op)s,
                CASE WHEN i < %(in_households)s THEN %(first_household)s + i / 3 END,
                false, false, '',
                0, false, 0, false  -- the standing and counts, written after the load
            FROM (
                SELECT i, 1 + floor(random() * %(surname_count)s)::int AS s
                FROM generate_series(0, %(n)s - 1) AS i
            ) AS rows
            """,  # noqa: S608
            {
                "alphabet": ALPHABET,
                "surnames": surnames,
                "surname_count": len(surnames),
                "native": [native[name] for name in surnames],
                "given": given,
                "statuses": statuses,
                "start": datetime(2022, 1, 5, tzinfo=UTC),
                "cities": cities,
                "city_count": len(cities),
                "op": operation.pk,
                "in_households": (people // 10) * 3,
                "first_household": first_household,
                "n": people,
            },
        )


def reuse():
    """The operation, coordinator and full flight a previous run loaded, after migrating."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from evac.operations.models import Operation

    call_command("migrate", verbosity=0)
    operation = Operation.objects.get(slug="bench")
    big = operation.flights.get(seats_booked=MANIFEST_SEATS, status="open")
    return operation, User.objects.get(username="bench-coordinator"), big


def load_people_in_python(
    operation, people: int, cities: list[int], surnames: list[str], native: dict, given: list[str]
) -> None:
    """The same people as load_people, built in Python for SQLite (no generate_series):
    slower, fine for the 10,000 a laptop run loads."""
    from evac.core.reference import ALPHABET, LENGTH
    from evac.people.models import Citizen, Household

    rng = random.Random(2022)
    start = datetime(2022, 1, 5, tzinfo=UTC)
    statuses = ["waiting"] * 14 + ["evacuated"] * 3
    statuses += ["decided_to_stay", "unreachable", "left_by_own_means"]
    households = Household.objects.bulk_create(
        [Household(operation=operation) for _ in range(people // 10)], batch_size=2000
    )
    in_households = len(households) * 3

    def citizen(i: int) -> Citizen:
        surname = rng.choice(surnames)
        code = "".join(ALPHABET[(i // 29**k) % 29] for k in range(LENGTH))
        return Citizen(
            reference_code=code,
            surname=f"{surname}{i % 997}",
            given_names=given[i % 8],
            surname_native=native[surname],
            date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(30000)),
            sex=rng.choice("FM"),
            nationality="UA",
            document_type="passport",
            document_number=f"F{i:07d}",
            phone=f"+3806{i:08d}",
            preferred_language="uk",
            preferred_channel="sms",
            medical_need=rng.random() < 0.05,
            status=rng.choice(statuses),
            source="staff_intake",
            registered_at=start + timedelta(minutes=rng.randrange(10080)),
            last_contacted_at=None if rng.random() < 0.3 else start + timedelta(days=3),
            current_city_id=rng.choice(cities),
            operation=operation,
            household=households[i // 3] if i < in_households else None,
        )

    for first in range(0, people, 2000):
        Citizen.objects.bulk_create(
            [citizen(i) for i in range(first, min(first + 2000, people))], batch_size=2000
        )


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def measure(
    client, url: str, *, post: dict | None = None, before_replay: Callable[[], object] = bool
) -> tuple[float, float, int]:
    """Median seconds for the page, and for replaying its SQL on a raw cursor.

    With `post`, the page is that POST and the page it redirects to. `before_replay` runs
    right after the captured request and (untimed) before each replay, to remove what they
    wrote where the replayed INSERTs would clash with their own rows.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        if post is None:
            return client.get(url)
        return client.post(url, post, follow=True)

    response = fetch()
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        fetch()
    # Session and user look-ups are part of every request either way; keep them in both.
    statements = [bare for q in captured.captured_queries if (bare := plain_sql(q["sql"]))]
    before_replay()

    def bare_sql() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    def replayed() -> float:
        before_replay()
        return timed(bare_sql)

    pages = []
    for _ in range(ROUNDS):
        cpu = time.process_time()
        wall = timed(lambda: consume(fetch()))
        pages.append((wall, time.process_time() - cpu))
    page = statistics.median(wall for wall, _cpu in pages)
    # This process's own CPU (Django, the ORM, templates; not PostgreSQL's): what a page
    # costs in Python even when a loaded machine makes it wait for a core.
    python = statistics.median(cpu for _wall, cpu in pages)
    sql = statistics.median(replayed() for _ in range(ROUNDS))
    return page, sql, len(statements), python


def plain_sql(sql: str) -> str:
    """A server-side cursor's DECLARE becomes its SELECT; its FETCH and CLOSE go."""
    if sql.startswith("DECLARE "):
        return sql.split(" FOR ", 1)[1]
    if sql.startswith(("FETCH ", "CLOSE ")):
        return ""
    return sql


def consume(response) -> None:
    if response.streaming:
        b"".join(response.streaming_content)


def main() -> None:
    global ROUNDS  # read by measure(): one run, one setting
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=CITIZENS, help="citizens to load")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timings per page (median)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database a previous run loaded (migrated, not reloaded)",
    )
    parser.add_argument(
        "--pages",
        default="",
        help="time only the pages whose name holds one of these comma-separated words",
    )
    arguments = parser.parse_args()
    people_count = arguments.people
    ROUNDS = arguments.rounds
    if not arguments.reuse:
        recreate_database()
    django.setup()
    from django.contrib.sessions.models import Session
    from django.test import Client
    from django.urls import reverse

    from evac.people.models import Citizen
    from tests.logins import StaffClient

    started = time.perf_counter()
    if arguments.reuse:
        operation, user, big = reuse()
        people_count = Citizen.objects.count()
    else:
        operation, user, big = load(random.Random(2022), people_count)
    took = time.perf_counter() - started
    flights = operation.flights.count()
    print(f"loaded {people_count:,} citizens and {flights:,} flights in {took:.0f} s")
    client = StaffClient()  # logged in past the second step, as staff use the pages
    client.force_login(user)
    op = operation.slug
    people = reverse("people:list", args=[op])
    city = big.departure_airport.city_id
    # An open flight with every seat free, to add passengers to.
    free = operation.flights.filter(status="open", seats_booked=0).order_by("pk").first()
    add_passengers = reverse("flights:add_passengers", args=[op, free.pk])
    waiting = Citizen.objects.filter(status="waiting")
    print(f"{waiting.count():,} people waiting")
    # Where "Next" leads after 999 pages (and 199 of the filtered list): the row it starts after.
    from evac.people.selectors import REGISTRY_PAGE_SIZE, registry_rows

    rows = registry_rows(operation)
    deep = rows.values_list("pk", flat=True)[999 * REGISTRY_PAGE_SIZE - 1]
    there = rows.filter(status="waiting", current_city_id=city).values_list("pk", flat=True)
    # Page 200, or the last page if there are fewer (as the offset link shows).
    filtered_page = min(200, -(-there.count() // REGISTRY_PAGE_SIZE))
    filtered_deep = there[(filtered_page - 1) * REGISTRY_PAGE_SIZE - 1]
    from evac.flights.selectors import waiting_units

    unit_200 = waiting_units(operation, limit=200)[-1].rank.first_pk
    pages = {
        "dashboard": reverse("operations:dashboard", args=[op]),
        "citizen list, first page": people,
        "citizen list, page 1,000 (offset)": f"{people}?page=1000",
        "citizen list, page 1,000 (Next)": f"{people}?after={deep}&page=1000",
        "citizen list, search": f"{people}?q=shevchenko1",
        "citizen list, filtered deep page (offset)": (
            f"{people}?status=waiting&city={city}&page=200"
        ),
        "citizen list, filtered deep page (Next)": (
            f"{people}?status=waiting&city={city}&after={filtered_deep}&page={filtered_page}"
        ),
        "flight list": reverse("flights:list", args=[op]),
        "manifest (400 seats)": reverse("flights:manifest", args=[op, big.pk]),
        "manifest export CSV (400)": reverse("flights:export", args=[op, big.pk, "csv"]),
        "manifest export XLSX (400)": reverse("flights:export", args=[op, big.pk, "xlsx"]),
        "add passengers (waiting list, first 200)": add_passengers,
        "add passengers, one city": f"{add_passengers}?city={city}",
        "add passengers, units 201-400 (Next)": f"{add_passengers}?after={unit_200}",
    }
    print("\n| page | queries | page (ms) | bare SQL (ms) | page / SQL | page CPU (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    words = [word.strip() for word in arguments.pages.split(",") if word.strip()]

    def wanted(name: str) -> bool:
        return not words or any(word in name for word in words)

    for name, url in pages.items():
        if wanted(name):
            print_row(name, *measure(client, url))
    if not wanted("portal status lookup, portal status page"):
        return

    # A waiting member of a household, among the last registered: most of the list is ahead.
    person = waiting.filter(household__isnull=False).order_by("-registered_at", "pk").first()
    citizen = Client()  # a citizen's phone: no staff login
    status = reverse("portal:status", args=[op])
    lookup = {"reference": person.reference, "date_of_birth": person.date_of_birth.isoformat()}

    # The replayed lookup writes the session row the captured one created (the browser's
    # session right after it): clear the way.
    captured_session: list[str] = []

    def forget_the_captured_session() -> None:
        if not captured_session:
            captured_session.append(citizen.session.session_key)
        Session.objects.filter(session_key=captured_session[0]).delete()

    looked_up = measure(citizen, status, post=lookup, before_replay=forget_the_captured_session)
    print_row("portal status lookup (POST + status page)", *looked_up)
    print_row("portal status page, reloaded", *measure(citizen, status))


def print_row(name: str, page: float, sql: float, queries: int, python: float) -> None:
    print(
        f"| {name} | {queries} | {page * 1000:.1f} | {sql * 1000:.1f} | {page / sql:.1f}× "
        f"| {python * 1000:.1f} |"
    )


if __name__ == "__main__":
    main()

"""The duplicate finder over 100,000 people on PostgreSQL, against reading their rows alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evac_bench_dupes \\
        .venv/bin/python bench/duplicates.py

The database named in DATABASE_URL is dropped and made anew. It loads 100,000 people, a
quarter of them a second time in another spelling (the ICAO transliteration, or Cyrillic in
the native fields), then times people.duplicates.likely_pairs (read, block, score) against
the baseline of reading the same rows. Goal (issue 17): under a minute. Results go in
BENCHMARKS.md.
"""

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evac.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django

from bench.database import recreate_database

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))


def load(rng: random.Random):
    from django.core.management import call_command

    from evac.operations.models import Operation
    from evac.people.latin import Standard, transliterate
    from evac.people.models import Citizen
    from evac.places.models import City
    from tests.people.test_duplicate_finder import GIVEN, SURNAMES

    call_command("migrate", verbosity=0)
    operation = Operation.objects.create(
        name="Bench", slug="bench", country="KZ", starts_on=date(2022, 1, 5)
    )
    city = City.objects.create(name="Almaty", country="KZ", time_zone="Asia/Almaty")
    people, truth = [], 0
    while len(people) < PEOPLE:
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 80))
        latin = transliterate(f"{surname} {given}", standard=Standard.UKRAINIAN).split(" ", 1)
        document = f"F{rng.choice('ABCDEK')}{rng.randrange(10**6):06d}"
        phone = f"+38067{rng.randrange(10**7):07d}"
        common = {
            "operation": operation,
            "current_city": city,
            "date_of_birth": born,
            "sex": "X",
            "nationality": "UA",
            "source": "import",
        }
        people.append(
            Citizen(
                **common, surname=latin[0], given_names=latin[1], document_type="passport",
                document_number=document, phone=phone,
            )
        )  # fmt: skip
        if rng.random() < 0.25:
            truth += 1
            other = transliterate(f"{surname} {given}", standard=Standard.ICAO).split(" ", 1)
            people.append(
                Citizen(
                    **common, surname=other[0], given_names=other[1], document_type="none",
                    surname_native=surname, given_names_native=given,
                )
            )  # fmt: skip
    Citizen.objects.bulk_create(people[:PEOPLE], batch_size=5000)
    return operation, truth


def main() -> None:
    recreate_database(example_name="evac_bench_dupes")
    django.setup()
    from evac.people.duplicates import FIELDS, likely_pairs
    from evac.people.models import Citizen

    operation, truth = load(random.Random(2022))
    start = time.perf_counter()
    rows = list(Citizen.objects.filter(operation=operation).values(*FIELDS).iterator(5000))
    read = time.perf_counter() - start
    start = time.perf_counter()
    pairs = likely_pairs(operation)
    finder = time.perf_counter() - start
    print(f"people: {len(rows):,}; true pairs made: {truth:,}; pairs proposed: {len(pairs):,}")
    print(f"reading the rows alone: {read:.1f} s")
    print(f"duplicate finder (read, block, score): {finder:.1f} s ({finder / read:.1f}× the read)")


if __name__ == "__main__":
    main()

"""How much Evac's offer round costs, against booking the same seats directly.

With WAITING people on the waiting list (default 50,000) and 30 open flights, in one run on
PostgreSQL:

- baseline: book SEATS people (default 500) one by one straight onto 30 other flights, with
  the booking service (booking_create: the seat counter, the person's status, the history
  rows, the confirmation message);
- offers made: free SEATS seats on 30 flights and offer them all to the waiting list in
  turn in one round (offers_round, as the beat task does: the ranking read once, each
  flight's offers made together: the seat counter, the offers, their history, the
  messages);
- the round: all SEATS offers pass their deadline at once, and one beat round
  (flights.tasks.offers_tick, run in this process as a worker runs it) expires each
  (claimed, seats freed, the person told) and offers the seats to the next SEATS units.

Each time is printed with its ratio to the baseline. Target (issue 16): the SEATS offers
within 10 s on this machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evac_offers_bench \\
        .venv/bin/python bench/offers.py

The database in DATABASE_URL is dropped and made anew. Messages are queued to an in-memory
broker (nothing sends them), as for bookings. Results go in BENCHMARKS.md.
"""

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

WAITING = int(os.environ.get("WAITING", "50000"))
SEATS = int(os.environ.get("SEATS", "500"))
FLIGHTS = 30
SCRATCH = Path(tempfile.mkdtemp(prefix="evac-bench-offers-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="evac.settings",
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only"),
    EVAC_VAR_DIR=str(SCRATCH / "var"),
    CELERY_BROKER_URL="memory://",
)
os.environ.pop("CELERY_RESULT_BACKEND", None)

import django  # noqa: E402

from bench.database import recreate_database  # noqa: E402


def seats_of(i: int) -> int:
    """SEATS spread over FLIGHTS flights (17 or 16 each for 500)."""
    return SEATS // FLIGHTS + (1 if i < SEATS % FLIGHTS else 0)


def main() -> None:
    recreate_database(example_name="evac_offers_bench")
    django.setup()
    from django.core.management import call_command
    from django.db.models import Sum

    from evac.core.actor import EVAC
    from evac.core.clock import now
    from evac.flights import tasks
    from evac.flights.models import Booking, Flight, SeatOffer
    from evac.flights.offers import offers_round
    from evac.flights.services import booking_create
    from evac.operations.models import Operation
    from evac.people import queue
    from evac.people.models import Citizen
    from evac.places.models import Airport, City

    call_command("migrate", verbosity=0)
    operation = Operation.objects.create(name="Bench", slug="bench", country="KZ",
                                         starts_on=now().date())  # fmt: skip
    almaty = City.objects.create(name="Almaty", country="KZ", time_zone="Asia/Almaty")
    kyiv = City.objects.create(name="Kyiv", country="UA", time_zone="Europe/Kyiv")
    ala = Airport.objects.create(iata_code="ALA", name="Almaty", city=almaty)
    kbp = Airport.objects.create(iata_code="KBP", name="Boryspil", city=kyiv)
    Citizen.objects.bulk_create(
        (
            Citizen(
                operation=operation, surname=f"Waiting{i:06d}", given_names="Mariia",
                date_of_birth=date(1990, 1, 1), sex="F", nationality="UA",
                document_type="passport", document_number=f"WT{i:07d}", current_city=almaty,
                source="import", registered_at=now() - timedelta(minutes=WAITING - i),
                medical_need=i % 50 == 0,
            )
            for i in range(WAITING)
        ),
        batch_size=5000,
    )  # fmt: skip
    queue.rebuild(operation.pk)  # bulk_create bypasses the saves that store each standing

    def flights(prefix: str) -> list[Flight]:
        start = now() + timedelta(days=2)  # far enough for the longest deadline
        return Flight.objects.bulk_create(
            Flight(
                operation=operation, number=f"{prefix}{i:03d}", carrier="Bench Air",
                departure_airport=ala, arrival_airport=kbp, departs_at=start + timedelta(hours=i),
                arrives_at=start + timedelta(hours=i + 5), seats_total=seats_of(i),
                status=Flight.Status.OPEN, offers=Flight.Offers.ASK,
            )
            for i in range(FLIGHTS)
        )  # fmt: skip

    booked_flights, offered_flights = flights("BK"), flights("OF")

    # Baseline: the same number of seats booked directly, the next people in line.
    people = list(
        Citizen.objects.filter(status="waiting").order_by("-registered_at")[:SEATS]
    )  # the last registered: they leave the front of the list to the offers
    started = time.perf_counter()
    seated = 0
    for flight in booked_flights:
        for _ in range(flight.seats_total):
            booking_create(flight=flight, citizen=people[seated], by=EVAC)
            seated += 1
    booking_seconds = time.perf_counter() - started
    assert Booking.objects.filter(is_active=True).count() == SEATS

    # Offers: the free seats of 30 flights offered to the waiting list in turn.
    started = time.perf_counter()
    made = len(offers_round(flights=offered_flights, by=EVAC))
    offers_seconds = time.perf_counter() - started
    assert made == SEATS, made

    # The round: every offer passes its deadline at once; the flights offer by themselves.
    first_round = set(SeatOffer.objects.values_list("pk", flat=True))
    SeatOffer.objects.update(
        offered_at=now() - timedelta(hours=3), expires_at=now() - timedelta(minutes=1)
    )
    Flight.objects.filter(pk__in=[f.pk for f in offered_flights]).update(
        offers=Flight.Offers.AUTOMATIC
    )
    started = time.perf_counter()
    expired = tasks.offers_tick()
    tick_seconds = time.perf_counter() - started
    assert expired == SEATS, expired
    assert not SeatOffer.objects.filter(pk__in=first_round, status="offered").exists()
    live = SeatOffer.objects.filter(status="offered")
    assert live.aggregate(n=Sum("seats"))["n"] == SEATS, "not every seat offered on"
    for flight in Flight.objects.filter(pk__in=[f.pk for f in offered_flights]):
        assert flight.seats_booked == flight.seats_total  # each seat held once, none lost

    print(f"{WAITING:,} waiting, {FLIGHTS} + {FLIGHTS} open flights, {SEATS} seats, PostgreSQL")
    print(f"book {SEATS} seats directly:       {booking_seconds:6.2f} s  (baseline)")
    print(f"offer {SEATS} free seats:          {offers_seconds:6.2f} s  "
          f"{offers_seconds / booking_seconds:5.2f}x the baseline")  # fmt: skip
    print(f"round: {SEATS} expire, {SEATS} offered on: {tick_seconds:6.2f} s  "
          f"{tick_seconds / booking_seconds:5.2f}x the baseline")  # fmt: skip
    print(f"target: {SEATS} offers within 10 s: {'met' if offers_seconds <= 10 else 'MISSED'}")


if __name__ == "__main__":
    main()

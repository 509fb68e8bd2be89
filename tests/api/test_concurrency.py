"""Many integrations booking the last seats through the API at once never overbook.

Each thread is a separate client with its own token and its own database connection, as
separate web requests are; a barrier starts them together.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from evac.flights.models import Booking
from evac.people.models import Citizen
from tests.api.client import op_url, token_client
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 16
SEATS = 5


def _race_for_the_last_seats(operation, almaty, nqz, kbp, alice) -> None:
    flight = make_flight(operation, nqz, kbp, seats=SEATS)
    people = [make_citizen(operation, almaty) for _ in range(RACERS)]
    clients = [token_client(alice) for _ in people]
    url = op_url(operation, f"flights/{flight.pk}/bookings/")
    barrier = threading.Barrier(RACERS)

    def book(client, person) -> int:
        barrier.wait()
        try:
            return client.post(url, {"citizen": person.reference}, format="json").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        statuses = Counter(pool.map(book, clients, people))

    assert statuses == Counter({201: SEATS, 409: RACERS - SEATS})
    flight.refresh_from_db()
    active = Booking.objects.filter(flight=flight, is_active=True).count()
    assert active == flight.seats_booked == SEATS
    assert Citizen.objects.filter(status=Citizen.Status.BOOKED).count() == SEATS


@pytest.mark.postgres
def test_racing_api_bookings_never_overbook_on_postgresql(operation, almaty, nqz, kbp, alice):
    assert connection.vendor == "postgresql"
    _race_for_the_last_seats(operation, almaty, nqz, kbp, alice)


def test_racing_api_bookings_never_overbook_on_sqlite(operation, almaty, nqz, kbp, alice):
    if connection.vendor != "sqlite":
        pytest.skip("this run is on PostgreSQL; the SQLite run covers SQLite")
    _race_for_the_last_seats(operation, almaty, nqz, kbp, alice)

"""The dashboard runs the same small number of SQL queries for 10 people as for 1,000."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.flights.models import Booking, Flight
from evac.people.models import Citizen
from evac.people.queue import rebuild
from tests.factories import make_flight

pytestmark = pytest.mark.django_db

# Session, user, operation, membership, the operation switcher, seven for the dashboard (of
# which not contacted: the kept counts before the cutoff's quarter hour, the people in it,
# the latest heard from, the longest silent), and
# three for the documents that expire before travel (the flights ahead, the seats on them,
# the people waiting), two for the airports (the suspended ones, the cities whose
# people need a transfer), and two for the children without an adult (the households stored
# as leaving them alone, and the seats given on a coordinator's reason), and two for the seat
# offers (those pending, the flights of the next 48 hours with seats to fill), and three for
# the map (the waiting cities' coordinates, the airports, the transfers ahead).
MAX_QUERIES = 25
STATUSES = [
    Citizen.Status.WAITING,
    Citizen.Status.WAITING,
    Citizen.Status.BOOKED,
    Citizen.Status.EVACUATED,
    Citizen.Status.UNREACHABLE,
    Citizen.Status.DECIDED_TO_STAY,
]


def _populate(operation, cities, flights, people: int, *, first: int = 0) -> None:
    start = datetime(2022, 1, 5, 6, 0, tzinfo=UTC)
    citizens = Citizen.objects.bulk_create(
        Citizen(
            operation=operation,
            surname=f"Surname{n}",
            given_names="Given",
            date_of_birth=date(1940 + n % 80, 1, 1),
            sex=Citizen.Sex.FEMALE,
            nationality="UA",
            document_type=Citizen.DocumentType.PASSPORT,
            document_number=f"FX{n:07d}",
            current_city=cities[n % len(cities)],
            medical_need=n % 7 == 0,
            status=STATUSES[n % len(STATUSES)],
            source=Citizen.Source.STAFF_INTAKE,
            registered_at=start + timedelta(hours=n % 150),
            last_contacted_at=start + timedelta(days=2) if n % 3 == 0 else None,
        )
        for n in range(first, first + people)
    )
    rebuild(operation.pk)  # a bulk load saves nobody: its standing and counts after it
    departed, ahead = flights
    Booking.objects.bulk_create(
        Booking(
            flight=departed if c.status == Citizen.Status.EVACUATED else ahead,
            citizen=c,
            status=(
                Booking.Status.BOARDED
                if c.status == Citizen.Status.EVACUATED
                else Booking.Status.BOOKED
            ),
            is_active=c.status == Citizen.Status.BOOKED,
        )
        for c in citizens
        if c.status in (Citizen.Status.EVACUATED, Citizen.Status.BOOKED)
    )


@pytest.fixture
def flights(operation, nqz, kbp):
    departed = make_flight(operation, nqz, kbp, departs_at=datetime(2022, 1, 9, 4, 40, tzinfo=UTC))
    ahead = [
        make_flight(operation, nqz, kbp, departs_at=datetime(2022, 1, d, tzinfo=UTC))
        for d in (13, 14, 16)
    ]
    # Room for the bulk bookings below, beyond what a plan may say of one aircraft.
    Flight.objects.filter(operation=operation).update(seats_total=1000)
    Flight.objects.filter(pk=departed.pk).update(status=Flight.Status.LANDED)
    return departed, ahead[0]


@pytest.mark.parametrize("people", [10, 1000])
def test_the_dashboard_runs_a_constant_number_of_queries(
    client, carol, operation, almaty, nur_sultan, flights, people, django_assert_max_num_queries
):
    _populate(operation, [almaty, nur_sultan], flights, people)
    client.force_login(carol)

    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(reverse("operations:dashboard", args=[operation.slug]))

    board = page.context["dashboard"]
    assert board.people.registered == people
    assert len(board.flights_ahead) == 3
    assert board.timeline.evacuated_total[-1] == board.people.by_status["evacuated"]
    silence = board.not_contacted
    assert silence.count > 5 and len(silence.longest_silent) == min(10, silence.count)


def test_the_dashboard_runs_the_same_queries_for_3_and_30_people_with_expiring_documents(
    client, carol, operation, almaty, nur_sultan, flights
):
    client.force_login(carol)
    url = reverse("operations:dashboard", args=[operation.slug])
    _populate(operation, [almaty, nur_sultan], flights, 3)
    operation.citizens.update(document_expires_on=date(2022, 1, 10))
    client.get(url)  # first-request costs
    with CaptureQueriesContext(connection) as three:
        client.get(url)

    _populate(operation, [almaty, nur_sultan], flights, 27, first=3)
    operation.citizens.update(document_expires_on=date(2022, 1, 10))
    with CaptureQueriesContext(connection) as thirty:
        page = client.get(url)

    assert len(thirty) == len(three)
    board = page.context["dashboard"]
    assert board.people.registered == 30
    assert board.expiring_documents.booked > 0 and board.expiring_documents.waiting > 0


def test_the_dashboard_runs_the_same_queries_for_2_and_12_families_holding_seats(
    client, carol, operation, almaty, nqz, kbp, alice
):
    from evac.core.actor import EVAC
    from evac.core.clock import now
    from evac.flights.services import booking_create
    from evac.people.services import household_register

    client.force_login(carol)
    url = reverse("operations:dashboard", args=[operation.slug])
    ahead = make_flight(operation, nqz, kbp, departs_at=now() + timedelta(days=3))
    Flight.objects.filter(pk=ahead.pk).update(seats_total=100)
    ahead.refresh_from_db()

    def seat_families(first: int, count: int) -> int:
        for n in range(first, first + count):
            family = household_register(
                operation=operation,
                source=Citizen.Source.STAFF_INTAKE,
                by=EVAC,
                members=[
                    {
                        "surname": f"Family{'abcdefghijklmn'[n]}",
                        "given_names": name,
                        "date_of_birth": born,
                        "sex": "F",
                        "nationality": "UA",
                        "document_type": Citizen.DocumentType.PASSPORT,
                        "document_number": f"FM{n:03d}{i:03d}",
                        "current_city": almaty,
                    }
                    for i, (name, born) in enumerate(
                        [("Olena", date(1980, 1, 1)), ("Ivan", date(2015, 1, 1))]
                    )
                ],
            )
            for member in family.members.order_by("date_of_birth"):
                booking_create(flight=ahead, citizen=member, by=alice)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert seat_families(0, 2) == seat_families(2, 10)


def test_the_dashboard_runs_the_same_queries_for_3_and_30_households_with_children_alone(
    client, carol, operation, almaty, nur_sultan, django_assert_max_num_queries
):
    from evac.core.clock import today
    from evac.people.models import years_before
    from tests.flights.factories import bulk_households

    client.force_login(carol)
    url = reverse("operations:dashboard", args=[operation.slug])
    child = years_before(today(), 7)  # every member a child: each household is a warning
    bulk_households(operation, [almaty, nur_sultan], 3, size=2, date_of_birth=child)
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        client.get(url)

    bulk_households(operation, [almaty, nur_sultan], 27, size=2, first=3, date_of_birth=child)
    with django_assert_max_num_queries(len(three)):
        page = client.get(url)

    assert page.context["dashboard"].minors.households_alone == 30

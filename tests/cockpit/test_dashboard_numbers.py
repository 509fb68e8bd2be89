"""The dashboard's people in numbers: each count is right and links to the list behind it."""

from datetime import date

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.services import booking_create
from evac.people.models import Citizen
from evac.people.services import citizen_set_status
from tests.factories import make_citizen, make_departed_flight
from tests.pages import links_to

pytestmark = pytest.mark.django_db

S = Citizen.Status


@pytest.fixture
def people(operation, other_operation, almaty, nur_sultan, nqz, kbp, flight):
    """Almaty: 3 waiting (1 with a medical need), 1 booked, 1 unreachable, 1 staying.
    Nur-Sultan: 2 waiting (1 elderly), 1 left by own means, 2 evacuated."""
    waiting_almaty = [
        make_citizen(operation, almaty, medical_need=True),
        make_citizen(operation, almaty),
        make_citizen(operation, almaty),
    ]
    booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=EVAC)
    for status, city in (
        (S.UNREACHABLE, almaty),
        (S.DECIDED_TO_STAY, almaty),
        (S.LEFT_BY_OWN_MEANS, nur_sultan),
    ):
        citizen_set_status(citizen=make_citizen(operation, city), status=status, by=EVAC)
    make_citizen(operation, nur_sultan, date_of_birth=date(1940, 5, 1))
    make_citizen(operation, nur_sultan)
    evacuees = [make_citizen(operation, nur_sultan) for _ in range(2)]
    make_departed_flight(operation, nqz, kbp, boarded=evacuees)
    # Someone else's operation, waiting in the same city, counts nowhere on ours.
    make_citizen(other_operation, almaty, medical_need=True)
    return waiting_almaty


@pytest.fixture
def page(client, carol, operation, people):
    client.force_login(carol)
    return client.get(reverse("operations:dashboard", args=[operation.slug]))


def _list(operation) -> str:
    return reverse("people:list", args=[operation.slug])


def test_registered_counts_everyone_and_links_to_the_whole_list(page, operation):
    assert "11 Registered" in links_to(page, _list(operation))


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("waiting", "5 Waiting"),
        ("booked", "1 Booked"),
        ("evacuated", "2 Evacuated"),
        ("left_by_own_means", "1 Left by own means"),
        ("decided_to_stay", "1 Decided to stay"),
        ("unreachable", "1 Unreachable"),
    ],
)
def test_each_status_count_links_to_the_list_filtered_by_that_status(page, operation, status, text):
    assert text in links_to(page, f"{_list(operation)}?status={status}")


def test_waiting_by_city_counts_the_vulnerable_separately(page):
    rows = page.context["dashboard"].people.waiting_by_city
    # The biggest crowd comes first; the other operation's vulnerable person is not counted.
    assert [(row.name, row.waiting, row.vulnerable) for row in rows] == [
        ("Almaty", 3, 1),
        ("Nur-Sultan", 2, 1),
    ]


def test_each_city_links_to_its_waiting_and_its_vulnerable_people(page, operation, almaty):
    waiting = f"{_list(operation)}?status=waiting&city={almaty.pk}"
    # The map's circle and its table link there too (test_dashboard_map.py).
    assert "3 waiting in Almaty" in links_to(page, waiting)
    assert links_to(page, f"{waiting}&vulnerable=1") == ["1 vulnerable people waiting in Almaty"]


def test_the_total_row_links_to_everyone_waiting_and_every_vulnerable_person_waiting(
    page, operation
):
    waiting = f"{_list(operation)}?status=waiting"
    assert "5 waiting in all cities" in links_to(page, waiting)
    assert links_to(page, f"{waiting}&vulnerable=1") == [
        "2 vulnerable people waiting in all cities"
    ]


def test_an_empty_operation_shows_zeros_and_says_nobody_is_waiting(client, carol, operation):
    client.force_login(carol)
    page = client.get(reverse("operations:dashboard", args=[operation.slug]))
    assert "0 Registered" in links_to(page, _list(operation))
    assert links_to(page, f"{_list(operation)}?status=waiting") == ["0 Waiting"]
    assert "Nobody is waiting." in page.content.decode()

"""Lists filter, search and sort as the staff pages do, and page by cursor."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evac.core.clock import now
from evac.people.models import Citizen
from tests.api.client import op_url, token_client
from tests.factories import make_citizen, make_citizens_in_bulk


@pytest.fixture
def api(carol):
    return token_client(carol)


def _references(response) -> list[str]:
    return [c["reference"] for c in response.json()["results"]]


def test_filters_are_the_registry_filters(api, operation, almaty, kyiv):
    in_almaty = make_citizen(operation, almaty, surname="Koval")
    make_citizen(operation, kyiv, surname="Koval")
    make_citizen(operation, almaty, surname="Bondar", medical_need=True)

    found = api.get(op_url(operation, f"citizens/?city={almaty.pk}&q=kov&vulnerable=false"))
    vulnerable = api.get(op_url(operation, "citizens/?vulnerable=true"))

    assert _references(found) == [in_almaty.reference]
    assert [c["surname"] for c in vulnerable.json()["results"]] == ["Bondar"]


def test_several_statuses_at_once(api, operation, almaty):
    make_citizen(operation, almaty, surname="A")
    evacuated = make_citizen(operation, almaty, surname="B")
    unreachable = make_citizen(operation, almaty, surname="C")
    Citizen.objects.filter(pk=evacuated.pk).update(status=Citizen.Status.EVACUATED)
    Citizen.objects.filter(pk=unreachable.pk).update(status=Citizen.Status.UNREACHABLE)

    response = api.get(op_url(operation, "citizens/?status=waiting&status=unreachable"))

    assert [c["surname"] for c in response.json()["results"]] == ["A", "C"]


def test_a_cursor_walks_every_person_once_in_order(api, operation, almaty):
    people = make_citizens_in_bulk(operation, almaty, 23)
    url, seen = op_url(operation, "citizens/?page_size=5&ordering=-name"), []

    while url:
        page = api.get(url).json()
        seen += [c["surname"] for c in page["results"]]
        url = page["next"]

    assert seen == sorted((p.surname for p in people), reverse=True)


def test_ordering_by_registration(api, operation, almaty):
    older = make_citizen(operation, almaty, surname="Z")
    newer = make_citizen(operation, almaty, surname="A")
    Citizen.objects.filter(pk=older.pk).update(registered_at=now() - timedelta(days=2))

    response = api.get(op_url(operation, "citizens/?ordering=registered_at"))

    assert _references(response) == [older.reference, newer.reference]


def test_a_deep_page_costs_what_the_first_costs(api, operation, almaty):
    make_citizens_in_bulk(operation, almaty, 120)
    first_url = op_url(operation, "citizens/?page_size=20")
    second = api.get(first_url).json()["next"]

    with CaptureQueriesContext(connection) as first_page:
        api.get(first_url)
    with CaptureQueriesContext(connection) as later_page:
        api.get(second)

    # Seeks by position: no OFFSET past earlier rows and no COUNT over all of them.
    sql = later_page.captured_queries[-1]["sql"].upper()
    assert "COUNT(" not in sql and "OFFSET" not in sql.replace("OFFSET 0", "")
    assert len(later_page) == len(first_page)


def test_flights_filter_by_status_and_departure(api, operation, nqz, kbp, flight):
    from evac.flights.models import Flight
    from tests.factories import make_flight

    make_flight(operation, nqz, kbp, status=Flight.Status.PLANNED)

    open_ones = api.get(op_url(operation, "flights/?status=open&departure_airport=NQZ"))
    later = api.get(op_url(operation, "flights/?departs_after=2031-01-01T00:00:00Z"))

    assert [f["id"] for f in open_ones.json()["results"]] == [flight.pk]
    assert later.json()["results"] == []


def test_statistics_count_people_and_seats(api, operation, almaty, kyiv, flight):
    make_citizen(operation, almaty)
    make_citizen(operation, almaty, medical_need=True)
    make_citizen(operation, kyiv)

    stats = api.get(op_url(operation, "statistics/")).json()

    assert stats["registered"] == 3
    assert stats["by_status"]["waiting"] == 3
    assert stats["waiting_by_city"][0] == {
        "city": almaty.pk,
        "name": "Almaty",
        "waiting": 2,
        "vulnerable": 1,
    }
    assert stats["flights"] == [
        {
            "id": flight.pk,
            "number": flight.number,
            "status": "open",
            "departs_at": "2030-01-13T08:20:00Z",
            "seats_total": 10,
            "seats_booked": 0,
            "seats_left": 10,
        }
    ]

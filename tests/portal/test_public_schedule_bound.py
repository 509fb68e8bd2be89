"""The public schedule shows the soonest flights only, so the busiest public page does not
grow with the operation; it says that more follow."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from evac.portal import selectors
from tests.factories import make_flight

pytestmark = pytest.mark.django_db

FIRST = datetime(2030, 1, 13, 8, 20, tzinfo=UTC)


def _flights(operation, nqz, kbp, n: int) -> None:
    for i in range(n):
        make_flight(
            operation, nqz, kbp, departs_at=FIRST + timedelta(hours=i), number=f"PS {i:04d}"
        )


def _home(client, operation, language="en"):
    return client.get(reverse("portal:home", args=[operation.slug]), HTTP_ACCEPT_LANGUAGE=language)


def test_only_the_soonest_flights_are_shown_and_the_page_says_so(
    client, operation, nqz, kbp, monkeypatch
):
    monkeypatch.setattr(selectors, "SCHEDULE_SHOWS_AT_MOST", 3)
    _flights(operation, nqz, kbp, 5)

    page = _home(client, operation).content.decode()

    assert [f.number for f in selectors.public_schedule(operation)] == [
        "PS 0000",
        "PS 0001",
        "PS 0002",
    ]
    assert "PS 0002" in page and "PS 0003" not in page
    assert "Only the first 3 flights are shown; more appear here as they leave." in page
    assert "Показано лише перші 3 рейси" in _home(client, operation, "uk").content.decode()


def test_a_schedule_within_the_bound_says_nothing_of_more(client, operation, nqz, kbp):
    _flights(operation, nqz, kbp, 2)

    page = _home(client, operation).content.decode()

    assert "PS 0001" in page and "Only the first" not in page


def test_the_schedule_reads_no_more_as_flights_grow(
    client, operation, nqz, kbp, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(selectors, "SCHEDULE_SHOWS_AT_MOST", 3)
    _flights(operation, nqz, kbp, 12)

    with django_assert_max_num_queries(12) as captured:
        _home(client, operation)

    # No query returns more than the bound's flights.
    flight_reads = [q["sql"] for q in captured.captured_queries if "flights_flight" in q["sql"]]
    assert flight_reads and all("LIMIT 3" in sql for sql in flight_reads)

"""Open and planned flights on the dashboard: local departure time, time to go, seats."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.core.clock import pinned
from evac.flights.models import Flight
from evac.flights.services import booking_create, flight_set_status
from tests.factories import make_citizen, make_departed_flight, make_flight
from tests.pages import links_to

pytestmark = pytest.mark.django_db

ALMATY_TIME = ZoneInfo("Asia/Almaty")
# 13 January 2022, 10:40 in Nur-Sultan (UTC+6 then) is 04:40 UTC.
DEPARTS = datetime(2022, 1, 13, 10, 40, tzinfo=ALMATY_TIME)
NOW = datetime(2022, 1, 10, 0, 40, tzinfo=UTC)  # 3 days and 4 hours before


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("evac.core.clock.now", lambda: NOW)


@pytest.fixture
def open_flight(operation, nqz, kbp, almaty):
    flight = make_flight(operation, nqz, kbp, seats=60, departs_at=DEPARTS, number="PS 9004")
    with pinned(NOW):  # booked before it left
        for _ in range(12):
            booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=EVAC)
    return flight


def _dashboard(client, user, operation):
    client.force_login(user)
    return client.get(reverse("operations:dashboard", args=[operation.slug]))


def test_a_flight_shows_its_departure_in_the_airports_local_time_with_the_zone_named(
    client, carol, operation, open_flight, clock
):
    html = _dashboard(client, carol, operation).content.decode()
    assert '<time datetime="2022-01-13T10:40:00+06:00">Thu 13 Jan 2022, 10:40</time>' in html
    assert "Asia/Almaty, UTC+06:00" in html
    assert "Nur-Sultan (NQZ) → Kyiv (KBP)" in html


def test_a_flight_says_how_long_until_it_leaves(client, carol, operation, open_flight, clock):
    html = _dashboard(client, carol, operation).content.decode()
    assert "in 3\xa0days, 4\xa0hours" in html


def test_a_flight_whose_time_has_passed_but_has_not_left_says_so(
    client, carol, operation, open_flight, monkeypatch
):
    monkeypatch.setattr("evac.core.clock.now", lambda: datetime(2022, 1, 13, 6, 40, tzinfo=UTC))
    page = _dashboard(client, carol, operation)
    (ahead,) = page.context["dashboard"].flights_ahead
    assert ahead.departure_passed
    assert "departure time passed 2\xa0hours ago" in page.content.decode()


def test_seats_are_given_as_text_and_as_a_bar(client, carol, operation, open_flight, clock):
    html = _dashboard(client, carol, operation).content.decode()
    assert "12 of 60" in html
    assert "48 seats left" in html
    assert '<meter min="0" max="60" value="12" aria-hidden="true">20%</meter>' in html


def test_the_flight_number_links_to_its_manifest(client, carol, operation, open_flight, clock):
    page = _dashboard(client, carol, operation)
    manifest = reverse("flights:manifest", args=[operation.slug, open_flight.pk])
    assert links_to(page, manifest) == ["PS 9004 manifest"]


def test_planned_open_and_boarding_flights_are_shown_soonest_first(
    client, carol, operation, nqz, kbp, almaty, clock
):
    def at(day: int) -> datetime:
        return datetime(2022, 1, day, 10, 40, tzinfo=ALMATY_TIME)

    make_flight(operation, nqz, kbp, departs_at=at(16), number="PS 9006", status="planned")
    make_flight(operation, nqz, kbp, departs_at=at(14), number="PS 9005", status="boarding")
    make_flight(operation, nqz, kbp, departs_at=at(13), number="PS 9004")
    cancelled = make_flight(operation, nqz, kbp, departs_at=at(12), number="PS 9003")
    flight_set_status(flight=cancelled, status=Flight.Status.CANCELLED, by=EVAC)
    make_departed_flight(
        operation, nqz, kbp, boarded=[make_citizen(operation, almaty)], departs_at=at(9)
    )

    page = _dashboard(client, carol, operation)

    shown = [ahead.flight.number for ahead in page.context["dashboard"].flights_ahead]
    assert shown == ["PS 9004", "PS 9005", "PS 9006"]


def test_another_operations_flights_are_not_shown(
    client, carol, operation, other_operation, nqz, kbp, clock
):
    make_flight(other_operation, nqz, kbp, departs_at=DEPARTS, number="SD 0001")
    page = _dashboard(client, carol, operation)
    assert page.context["dashboard"].flights_ahead == []
    assert "No open or planned flights." in page.content.decode()

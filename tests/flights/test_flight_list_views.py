from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Flight
from evac.flights.services import booking_create, flight_set_status
from tests.factories import make_citizen, make_flight
from tests.flights.factories import bulk_flights
from tests.pages import text

pytestmark = pytest.mark.django_db


def _url(operation, **query):
    url = reverse("flights:list", args=[operation.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_list_shows_route_local_departure_time_and_seats(
    client, operation, almaty, nqz, kbp, alice, carol
):
    flight = make_flight(
        operation,
        nqz,
        kbp,
        seats=40,
        number="PS 9004",
        departs_at=datetime(2030, 1, 13, 5, 40, tzinfo=UTC),
    )
    for _ in range(3):
        booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=alice)
    client.force_login(carol)

    page = text(client.get(_url(operation)))

    assert "PS 9004" in page
    assert "NQZ Nur-Sultan" in page and "KBP Kyiv" in page
    # 05:40 UTC is shown in Nur-Sultan's time (10:40 or 11:40 by the tz database's
    # version), with the zone named.
    local = flight.departs_local
    assert local.hour != 5
    assert f"13 Jan 2030 {local:%H:%M} {local.tzname()}" in page
    assert "3 of 40 seats booked" in page
    assert "Open for booking" in page


def test_time_to_departure_is_relative_to_now(client, operation, nqz, kbp, carol):
    make_flight(
        operation,
        nqz,
        kbp,
        number="PS 7001",
        departs_at=now() + timedelta(days=2, hours=3, minutes=5),
    )
    client.force_login(carol)

    page = text(client.get(_url(operation)))

    assert "in 2 days, 3 hours" in page


def test_upcoming_and_past_flights_are_listed_apart(client, operation, nqz, kbp, carol):
    make_flight(operation, nqz, kbp, number="PS 1111")
    late = make_flight(operation, nqz, kbp, number="PS 2222", departs_at=now() - timedelta(hours=2))
    gone = make_flight(
        operation,
        nqz,
        kbp,
        number="PS 3333",
        status=Flight.Status.BOARDING,
        departs_at=now() - timedelta(days=3),
    )
    flight_set_status(flight=gone, status=Flight.Status.DEPARTED, by=EVAC)
    client.force_login(carol)

    upcoming = text(client.get(_url(operation)))
    past = text(client.get(_url(operation, when="past")))

    assert "PS 1111" in upcoming and "PS 2222" in upcoming
    assert "departure time passed 2 hours ago" in upcoming  # late, not yet departed: still upcoming
    assert "PS 3333" not in upcoming
    assert "PS 3333" in past and "departed" in past
    assert "PS 1111" not in past and late.number not in past


def test_only_coordinators_see_the_new_flight_button(client, operation, flight, alice, bob, carol):
    new_url = reverse("flights:new", args=[operation.slug])
    for user, shown in ((alice, True), (bob, False), (carol, False)):
        client.force_login(user)
        assert (new_url in client.get(_url(operation)).content.decode()) is shown, user


def test_a_member_of_another_operation_gets_404(client, operation, flight, dave):
    client.force_login(dave)

    assert client.get(_url(operation)).status_code == 404


def test_flights_of_another_operation_are_not_listed(
    client, operation, other_operation, nqz, kbp, carol
):
    make_flight(other_operation, nqz, kbp, number="SD 0001")
    client.force_login(carol)

    assert "SD 0001" not in text(client.get(_url(operation)))


@pytest.mark.parametrize("when", ["upcoming", "past"])
def test_the_list_runs_the_same_queries_for_10_and_1000_flights(
    client, operation, nqz, kbp, carol, django_assert_max_num_queries, when
):
    client.force_login(carol)
    bulk_flights(operation, nqz, kbp, 10, past=when == "past")
    client.get(_url(operation, when=when))  # warm the session and the content types
    with CaptureQueriesContext(connection) as ten:
        assert client.get(_url(operation, when=when)).status_code == 200

    bulk_flights(operation, nqz, kbp, 990, past=when == "past")
    with django_assert_max_num_queries(len(ten)):
        response = client.get(_url(operation, when=when))

    assert "Page 1 of 20" in text(response)

"""Every flight page runs the same number of queries for 10 and for 1,000 passengers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.flights.models import Booking, Flight
from evac.flights.services import flight_set_status, manifest_export_record
from evac.flights.views import WAITING_UNITS_SHOWN
from tests.flights.factories import bulk_households, bulk_passengers, bulk_waiting

pytestmark = pytest.mark.django_db

PAGES = {
    "manifest": ("flights:manifest", {}),
    "print": ("flights:print", {}),
    "export csv": ("flights:export", {"fmt": "csv"}),
    "export xlsx": ("flights:export", {"fmt": "xlsx"}),
    "boarding": ("flights:boarding", {}),
    "boarding search": ("flights:boarding", {}),
    "boarding counts": ("flights:boarding_counts", {}),
    "status confirmation": ("flights:status", {}),
}


def _url(flight, page):
    name, extra = PAGES[page]
    url = reverse(name, kwargs={"op": flight.operation.slug, "pk": flight.pk, **extra})
    if page == "boarding search":
        url += "?q=bulk0001"
    if page == "status confirmation":
        url += "?to=cancelled"
    return url


@pytest.fixture
def boarding_flight(flight, almaty, alice):
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    manifest_export_record(flight=flight, by=alice, format="csv", rows=0)
    return flight


@pytest.mark.parametrize("page", list(PAGES))
def test_a_flight_page_takes_the_same_queries_for_10_and_1000_passengers(
    client, boarding_flight, almaty, alice, page, django_assert_max_num_queries
):
    client.force_login(alice)
    url = _url(boarding_flight, page)
    bulk_passengers(boarding_flight, almaty, 5, status=Booking.Status.BOARDED, prefix="Early")
    bulk_passengers(boarding_flight, almaty, 5)
    client.get(url)  # session, content types: first-request costs
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url).status_code == 200

    bulk_passengers(boarding_flight, almaty, 990)
    with django_assert_max_num_queries(len(ten)):
        response = client.get(url)

    assert response.status_code == 200
    if page == "manifest":
        assert len(response.context["bookings"]) == 1000


def test_the_add_passengers_page_takes_the_same_queries_for_10_and_1000_waiting(
    client, operation, flight, almaty, alice, django_assert_max_num_queries
):
    url = reverse("flights:add_passengers", args=[operation.slug, flight.pk])
    client.force_login(alice)
    bulk_waiting(operation, almaty, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as ten:
        client.get(url)

    bulk_waiting(operation, almaty, 990)
    with django_assert_max_num_queries(len(ten)):
        response = client.get(url)

    assert response.context["units_total"] == 1000


@pytest.mark.parametrize("in_one_city", [False, True])
def test_the_add_passengers_page_with_households_takes_the_same_queries_for_10_and_1000(
    client, operation, flight, almaty, nur_sultan, alice, in_one_city, django_assert_max_num_queries
):
    url = reverse("flights:add_passengers", args=[operation.slug, flight.pk])
    if in_one_city:
        url += f"?city={almaty.pk}"
    client.force_login(alice)
    bulk_households(operation, [almaty, nur_sultan], 5, size=2)
    client.get(url)
    with CaptureQueriesContext(connection) as ten:
        client.get(url)

    bulk_households(operation, [almaty, nur_sultan], 495, size=2, first=5)
    with django_assert_max_num_queries(len(ten)):
        response = client.get(url)

    # Every household has someone in Almaty (its first member), so the city keeps them all.
    assert (response.context["units_total"], response.context["people_total"]) == (500, 1000)
    shown = response.context["units"]
    assert len(shown) == WAITING_UNITS_SHOWN and all(unit.size == 2 for unit in shown)


def test_the_add_passengers_page_takes_the_same_queries_for_5_and_50_households_alone(
    client, operation, flight, almaty, nur_sultan, alice, django_assert_max_num_queries
):
    from evac.core.clock import today
    from evac.flights.views import HOUSEHOLDS_ALONE_NAMED
    from evac.people.models import years_before

    url = reverse("flights:add_passengers", args=[operation.slug, flight.pk])
    client.force_login(alice)
    child = years_before(today(), 7)  # every member a child: each household is a warning
    bulk_households(operation, [almaty, nur_sultan], 5, size=2, date_of_birth=child)
    client.get(url)
    with CaptureQueriesContext(connection) as five:
        client.get(url)

    bulk_households(operation, [almaty, nur_sultan], 45, size=2, first=5, date_of_birth=child)
    with django_assert_max_num_queries(len(five)):
        response = client.get(url)

    assert response.context["households_alone_count"] == 50
    named = response.context["households_alone"]
    assert len(named) == HOUSEHOLDS_ALONE_NAMED and all(len(h.minors) == 2 for h in named)
    assert 'data-households-alone="50"' in response.content.decode()

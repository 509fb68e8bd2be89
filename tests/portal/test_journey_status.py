"""A person booked on a journey sees the whole of it on their status page: the train first,
with its meeting point, then the flight."""

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.journeys import journey_book
from tests.flights.factories import make_transfer

pytestmark = pytest.mark.django_db


def test_the_status_page_shows_the_train_before_the_flight(
    client, operation, almaty, nur_sultan, olena, flight
):
    train = make_transfer(
        operation,
        almaty,
        nur_sultan,
        meeting_point="Almaty-2 station, platform 1",
        meeting_map_url="https://www.openstreetmap.org/#map=18/43.27/76.94",
    )
    journey_book(flight=flight, transfers=[train], citizen=olena, by=EVAC)
    client.post(
        reverse("portal:status", args=[operation.slug]),
        {"reference": olena.reference, "date_of_birth": "1985-03-14"},
    )

    page = client.get(reverse("portal:status", args=[operation.slug])).content.decode()

    assert "First, your transfer to the flight: Almaty → Nur-Sultan" in page
    assert "Almaty-2 station, platform 1" in page and "openstreetmap.org" in page
    # The train leaves 15:40 UTC on 12 January, 20:40 in Almaty; the flight comes after it.
    assert "20:40" in page
    assert page.index("Almaty-2 station") < page.index(f"Your flight {flight.number}")

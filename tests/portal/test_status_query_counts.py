"""The status page counts the people ahead in the database: the same queries for any list."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.core.clock import now
from evac.people.models import Citizen
from tests.flights.factories import bulk_households, bulk_waiting

pytestmark = pytest.mark.django_db


def test_the_status_page_takes_the_same_queries_for_10_and_1000_waiting(
    client, operation, almaty, olena, django_assert_max_num_queries
):
    # Olena registers last of everyone in this test, so all the others are ahead of her.
    Citizen.objects.filter(pk=olena.pk).update(registered_at=now() + timedelta(hours=1))
    url = reverse("portal:status", args=[operation.slug])
    client.post(url, {"reference": olena.reference, "date_of_birth": "1985-03-14"})
    bulk_waiting(operation, almaty, 8)
    bulk_households(operation, [almaty], 1, size=2)
    client.get(url)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url).context["ahead"] == 10

    bulk_waiting(operation, almaty, 990)
    with django_assert_max_num_queries(len(ten)):
        response = client.get(url)

    assert response.context["ahead"] == 1000
    assert "1000 people are ahead of you" in response.content.decode()


def test_the_status_page_reads_the_seat_offer_once(client, operation, olena):
    url = reverse("portal:status", args=[operation.slug])
    client.post(url, {"reference": olena.reference, "date_of_birth": "1985-03-14"})

    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 200

    offers = [q for q in page.captured_queries if 'FROM "flights_seatoffer"' in q["sql"]]
    assert len(offers) == 1

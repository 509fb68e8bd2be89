"""The registry's pages run the same number of queries for 10 people as for 1,000."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.core.clock import now
from evac.people.models import Citizen, ContactLogEntry, Household
from evac.people.services import citizen_update, contact_log_add
from tests.factories import make_citizen, make_citizens_in_bulk

pytestmark = pytest.mark.django_db

# session, user, OTP device, operation with the role, the user's operations, the filter's
# cities, cities needing a transfer, count, rows
MAX_QUERIES = 9

LIST_VIEWS = [
    {},
    {"sort": "-registered_at", "page": "2"},
    {"sort": "city"},
    {"q": "bulk"},
    {"q": "Коваль"},
    {"q": "+7 701 000 00 01"},
    {"status": ["waiting", "booked", "unreachable"], "not_contacted_days": "2"},
    {"vulnerable": "1", "household": "yes", "sort": "last_contacted_at"},
]


def add_people(operation, city, count: int) -> None:
    """People with everything a row shows: households, contacts, needs, native names."""
    people = make_citizens_in_bulk(
        operation, city, count, surname_native="Коваль", last_contacted_at=now()
    )
    household = Household.objects.create(operation=operation, head=people[0])
    Citizen.objects.filter(pk__in=[p.pk for p in people[: count // 2]]).update(
        household=household, medical_need=True, registered_at=now() - timedelta(days=5)
    )


def queries_for(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_queries_for_10_and_1000_people(
    client, bob, operation, almaty, django_assert_max_num_queries
):
    client.force_login(bob)
    url = reverse("people:list", args=[operation.slug])
    add_people(operation, almaty, 10)
    with_ten = [queries_for(client, url, params) for params in LIST_VIEWS]

    add_people(operation, almaty, 990)
    for params, expected in zip(LIST_VIEWS, with_ten, strict=True):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert queries_for(client, url, params) == expected, params


@pytest.mark.parametrize("count", [10, 1000])
def test_the_list_stays_within_the_query_budget(
    client, bob, operation, almaty, count, django_assert_max_num_queries
):
    client.force_login(bob)
    add_people(operation, almaty, count)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("people:list", args=[operation.slug]))

    assert len(response.context["page"].object_list) == min(count, 50)


def test_a_persons_page_runs_the_same_queries_however_long_their_story(
    client, bob, operation, almaty, nur_sultan
):
    client.force_login(bob)
    olena = make_citizen(operation, almaty)
    url = reverse("people:detail", args=[operation.slug, olena.reference_code])

    def log_and_edit(times: int) -> None:
        for n in range(times):
            contact_log_add(
                citizen=olena,
                channel=ContactLogEntry.Channel.PHONE,
                direction=ContactLogEntry.Direction.OUTBOUND,
                outcome=ContactLogEntry.Outcome.NO_ANSWER,
                by=bob,
            )
            city = nur_sultan if n % 2 else almaty
            citizen_update(citizen=olena, by=bob, notes=f"call {n}", current_city=city)

    log_and_edit(2)  # one move to another city already: the history names cities
    short_story = queries_for(client, url, {})
    log_and_edit(30)

    assert queries_for(client, url, {}) == short_story

"""The citizen list pages by keyset: Next starts after the last row shown and Previous ends
before the first, in every sort, so walking the pages shows everyone once, in order, and a
deep page reads no more rows than the first."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.core.clock import now
from evac.people.filters import SORT_CHOICES
from evac.people.models import Citizen
from evac.people.paging import keyset_page
from evac.people.selectors import REGISTRY_SORTS, registry_rows
from tests.factories import make_citizens_in_bulk

pytestmark = pytest.mark.django_db

PER_PAGE = 4


@pytest.fixture
def people(operation, almaty, nur_sultan):
    # Ties in every sorted column, and people never heard from (NULLs in "last heard").
    made = make_citizens_in_bulk(operation, almaty, 9) + make_citizens_in_bulk(
        operation, nur_sultan, 8
    )
    for n, person in enumerate(made):
        person.surname = ["Bondar", "Koval", "Moroz"][n % 3]
        person.registered_at = now() - timedelta(days=n % 4)
        person.last_contacted_at = None if n % 3 == 0 else now() - timedelta(hours=n % 5)
        person.status = Citizen.Status.WAITING if n % 2 else Citizen.Status.UNREACHABLE
    Citizen.objects.bulk_update(made, ["surname", "registered_at", "last_contacted_at", "status"])
    return made


@pytest.mark.parametrize("sort", list(REGISTRY_SORTS))
def test_next_and_previous_walk_every_sort_in_order(operation, people, sort):
    rows = registry_rows(operation).order_by(*REGISTRY_SORTS[sort])
    everyone = list(rows)
    pages, params = [], {}
    while True:
        page = keyset_page(rows, params, per_page=PER_PAGE)
        pages.append(page.object_list)
        if not page.has_next():
            break
        params = {"after": str(page.last_pk), "page": str(page.next_page_number())}
    assert [person for shown in pages for person in shown] == everyone
    assert page.number == page.num_pages == 5

    back = []
    while page.has_previous():
        params = {"before": str(page.first_pk), "page": str(page.previous_page_number())}
        page = keyset_page(rows, params, per_page=PER_PAGE)
        back.append(page.object_list)
    assert back == pages[-2::-1]
    assert page.number == 1

    last = keyset_page(rows, {"before": "end"}, per_page=PER_PAGE)
    assert last.object_list == everyone[-PER_PAGE:] and last.number == 5


def test_an_old_page_number_still_pages_by_offset(operation, people):
    rows = registry_rows(operation)
    page = keyset_page(rows, {"page": "3"}, per_page=PER_PAGE)
    assert page.object_list == list(rows)[8:12] and page.number == 3
    assert keyset_page(rows, {"page": "99"}, per_page=PER_PAGE).number == 5


def test_the_list_links_its_pages_by_the_rows_shown(client, bob, operation, people, monkeypatch):
    monkeypatch.setattr("evac.people.views.REGISTRY_PAGE_SIZE", PER_PAGE)
    client.force_login(bob)
    url = reverse("people:list", args=[operation.slug])
    seen, query = [], {"sort": "-city"}
    while True:
        response = client.get(url, query)
        seen += list(response.context["page"].object_list)
        found = re.search(r'href="\?([^"]+)" rel="next"', response.content.decode())
        if not found:
            break
        query = dict(pair.split("=") for pair in unescape(found.group(1)).split("&"))
        assert "after" in query
    assert seen == list(registry_rows(operation).order_by(*REGISTRY_SORTS["-city"]))
    assert "-city" in dict(SORT_CHOICES)


def test_a_deep_page_runs_the_same_queries_as_the_first(client, bob, operation, people):
    client.force_login(bob)
    url = reverse("people:list", args=[operation.slug])
    first = client.get(url)
    after = first.context["page"].object_list[-1].pk
    with CaptureQueriesContext(connection) as on_first:
        client.get(url)
    with CaptureQueriesContext(connection) as deeper:
        client.get(url, {"after": after, "page": 2})
    # One more: the row the page starts after. No OFFSET in either.
    assert len(deeper) == len(on_first) + 1
    assert not [q for q in deeper.captured_queries if "OFFSET" in q["sql"]]


@pytest.mark.parametrize("sort", list(REGISTRY_SORTS))
def test_a_cursor_from_another_operation_reads_nothing_of_it(
    operation, other_operation, almaty, people, sort
):
    """A row of another operation as the cursor would place its values among ours, row by
    row: it is not in this list, so the page is read as if there were no cursor."""
    (stranger,) = make_citizens_in_bulk(other_operation, almaty, 1)
    Citizen.objects.filter(pk=stranger.pk).update(
        surname="Koval", registered_at=now() - timedelta(days=2), status=Citizen.Status.WAITING
    )
    rows = registry_rows(operation).order_by(*REGISTRY_SORTS[sort])
    first = keyset_page(rows, {}, per_page=PER_PAGE).object_list

    for direction in ("after", "before"):
        page = keyset_page(rows, {direction: str(stranger.pk)}, per_page=PER_PAGE)
        assert list(page.object_list) == list(first), direction

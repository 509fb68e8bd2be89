"""On PostgreSQL, the registry's searches and sorts can be answered from their indexes.

With a handful of rows the planner would rather read the table, so these tests forbid
plain table scans and check that an index that fits the query exists and is chosen: if the
query shape drifted (say, to a case-insensitive "contains") or migration 0002 lost an index,
PostgreSQL would be back to reading all 100,000 rows.
"""

import pytest
from django.db import connection

from evac.people.models import Citizen
from evac.people.selectors import search_citizens
from tests.factories import make_citizens_in_bulk

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def citizens(operation, almaty):
    make_citizens_in_bulk(operation, almaty, 20, surname_native="Коваль")
    return operation.citizens.all()


@pytest.fixture
def everyone(citizens):
    # Unscoped and unordered, so the only way round a table scan is the search's own index.
    return Citizen.objects.order_by()


def test_a_name_search_uses_the_name_prefix_indexes(everyone):
    used = plan(search_citizens(everyone, "koval оле"))

    for index in ("surname", "given_names", "surname_native", "given_names_native"):
        assert f"citizen_{index}_prefix" in used, used


def test_document_and_phone_searches_use_their_indexes(everyone):
    assert "citizen_document_upper" in plan(search_citizens(everyone, "fa 123456"))
    phone = plan(search_citizens(everyone, "+7 701 234 56 78", phone_regions=("KZ",)))
    assert "citizen_phone" in phone

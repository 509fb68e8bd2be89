"""The API crawl (tests/api/test_api_access_crawl.py) with a key: as nobody, with a bad,
revoked or deactivated member's key, as another operation's member and as a viewer. Nobody
outside the operation learns anything of it, a viewer only reads, and the database is as it
was.
"""

import pytest
from rest_framework.test import APIClient

from tests.api import test_api_access_crawl as crawl_of_the_api
from tests.api.client import token_client
from tests.api.test_api_access_crawl import (
    BAD_KEY,
    BAD_KEYS,
    NOBODY,
    OUTSIDER,
    VIEWER,
    crawl,
    snapshot,
)

pytestmark = pytest.mark.django_db

# The crawl's fixtures: its world, and the addresses it finds.
world, addresses = crawl_of_the_api.world, crawl_of_the_api.addresses


def test_nobody_gets_a_401_and_nothing_else(world, addresses):
    before = snapshot()

    assert crawl(APIClient(), NOBODY, world, addresses) == []
    assert snapshot() == before


@pytest.mark.parametrize("bad", BAD_KEYS)
def test_a_bad_key_gets_a_401_and_nothing_else(bad, world, addresses, alice, bob):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=BAD_KEYS[bad](alice, bob))
    before = snapshot()

    assert crawl(client, BAD_KEY, world, addresses) == []
    assert snapshot() == before


def test_another_operations_member_finds_nothing_with_a_key(world, addresses, dave):
    client = token_client(dave)
    before = snapshot()

    assert crawl(client, OUTSIDER, world, addresses) == []
    assert snapshot() == before


def test_a_viewers_key_reads_everything_and_changes_nothing(world, addresses, carol):
    client = token_client(carol)
    before = snapshot()

    assert crawl(client, VIEWER, world, addresses) == []
    # Not even a manifest export: a viewer takes no file with whole documents.
    assert snapshot() == before

"""The API crawl (tests/api/test_api_access_crawl.py) checks itself: it walks every address
of the API or names why not, each kind of address is among them, and the world it walks
has something to hide, or "nothing was shown, nothing changed" would prove little."""

import pytest

from tests.api import test_api_access_crawl as crawl_of_the_api
from tests.api.test_api_access_crawl import (
    EXCLUDED,
    NOWHERE,
    OPERATION,
    PUBLIC,
    SIGNED_IN,
    api_patterns,
    label,
    plan,
    snapshot,
)

pytestmark = pytest.mark.django_db

# The crawl's fixtures: its world, and the addresses it finds.
world, addresses = crawl_of_the_api.world, crawl_of_the_api.addresses


def test_every_api_address_is_crawled_or_excluded_with_a_reason(world):
    crawled, problems = plan(world)
    every = {label(p) for p in api_patterns()}

    assert not problems
    assert {a.label for a in crawled} | set(EXCLUDED) == every
    assert set(EXCLUDED) <= every, "an exclusion for an address that is gone"
    assert all(reason.strip() for reason in EXCLUDED.values())
    # Each kind of address is there: the walk found the API, not just its catch-all.
    assert {a.kind for a in crawled} == {OPERATION, SIGNED_IN, PUBLIC, NOWHERE}
    assert len([a for a in crawled if a.kind == OPERATION]) >= 15


def test_the_world_has_something_to_hide(world, addresses):
    # Otherwise "nothing was shown, nothing changed" would prove little.
    before = snapshot()
    assert all(
        before[what] for what in ("citizens", "contact log", "bookings", "seat offers", "tokens")
    )
    if "notifications" in before:
        assert before["notifications"], "a booking of someone with a phone queues a message"

"""The API crawl (tests/api/test_api_access_crawl.py) with a browser session, as the docs
page calls the API: another operation's member finds nothing, no write goes through without
the CSRF token, and no role reads a one-time code anywhere.
"""

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import RequestFactory
from rest_framework.test import APIClient

from tests.api import test_api_access_crawl as crawl_of_the_api
from tests.api.client import error_of, session_client
from tests.api.test_api_access_crawl import (
    NOWHERE,
    OPERATION,
    OUTSIDER,
    PUBLIC,
    UNSAFE,
    crawl,
    request,
    snapshot,
)

pytestmark = pytest.mark.django_db

# The crawl's fixtures: its world, and the addresses it finds.
world, addresses = crawl_of_the_api.world, crawl_of_the_api.addresses


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_no_role_reads_a_one_time_code_anywhere_in_the_api(world, addresses, who, request):
    client = session_client(request.getfixturevalue(who))
    for address in addresses:
        response = client.get(address.url)
        assert world.code not in response.content.decode(errors="replace"), address.url


def _with_csrf_token(client: APIClient) -> APIClient:
    """The client sends a valid CSRF cookie and header, as the docs page's script does."""
    client.handler.enforce_csrf_checks = True
    page = RequestFactory().get("/")
    client.credentials(**{settings.CSRF_HEADER_NAME: get_token(page)})
    client.cookies[settings.CSRF_COOKIE_NAME] = page.META["CSRF_COOKIE"]
    return client


def test_another_operations_member_finds_nothing_with_a_browser_session(world, addresses, dave):
    without_token = session_client(dave)
    without_token.handler.enforce_csrf_checks = True
    with_token = _with_csrf_token(session_client(dave))
    before = snapshot()

    wrong = crawl(with_token, OUTSIDER, world, [a for a in addresses if a.kind == OPERATION])
    for address in [a for a in addresses if a.kind == OPERATION]:
        for method in UNSAFE:
            response = request(without_token, method, address.url, {})
            if response.status_code != 403 or "CSRF" not in error_of(response)["message"]:
                wrong.append(f"{method.upper()} {address.url} without CSRF: {response.content}")

    assert wrong == []
    assert snapshot() == before


def test_a_browser_session_writes_nowhere_without_its_csrf_token(world, addresses, alice):
    # alice coordinates the operation and owns the token the crawl names: only the missing
    # CSRF token can stop her writes.
    client = session_client(alice)
    client.handler.enforce_csrf_checks = True
    before = snapshot()

    wrong = []
    for address in addresses:
        for method in UNSAFE:
            body = world.bodies.get((address.pattern.callback, method))
            response = request(client, method, address.url, body)
            if address.kind == NOWHERE:
                refused = response.status_code == 404
            elif address.kind == PUBLIC:  # refusals in YAML or HTML, and these have no writes
                refused = response.status_code == 403
            else:
                refused = response.status_code == 403 and "CSRF" in error_of(response)["message"]
            if not refused:
                wrong.append(f"{method.upper()} {address.url}: {response.content[:200]!r}")

    assert wrong == []
    assert snapshot() == before

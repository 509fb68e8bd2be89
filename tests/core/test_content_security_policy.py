"""Every HTML page carries a Content Security Policy that runs only Evac's own files.

The crawl discovers the pages from the URL configuration, as tests/test_url_access.py does,
and walks them as a coordinator: the staff pages, the citizen portal and the API docs. The
templates themselves must hold nothing the policy would block: no inline script, handler or
style.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from evac.flights.services import booking_create
from tests.factories import make_citizen
from tests.url_patterns import ABSENT, url_of, url_patterns

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
# What a policy without 'unsafe-inline' blocks in a page.
INLINE = {
    "an inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "an inline event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "a javascript: link": re.compile(r"javascript:", re.IGNORECASE),
}


def _policy(header: str) -> dict[str, str]:
    directives = (d.strip().split(None, 1) for d in header.split(";") if d.strip())
    return dict(directives)


def _inline_code(html: str) -> list[str]:
    return [what for what, pattern in INLINE.items() if pattern.search(html)]


@pytest.fixture
def every_page(operation, almaty, flight, alice) -> list[str]:
    olena = make_citizen(operation, almaty, surname="Zaporozhets")
    booking = booking_create(
        flight=flight, citizen=make_citizen(operation, almaty, surname="Khmelnytska"), by=alice
    )
    values = {
        "operation_slug": operation.slug,
        "flight_id": flight.pk,
        "transfer_id": 0,  # no transfer: its pages answer 404
        "booking_id": booking.pk,
        "ref": olena.reference_code,
        "export_format": "csv",
        "member_id": alice.memberships.get().pk,
        "airport_iata": flight.departure_airport.iata_code,
        "import_id": ABSENT,
        "merge_id": ABSENT,
        "duplicate_pair_id": ABSENT,
        "dismissed_pair_id": ABSENT,
        "message_id": ABSENT,
    }
    urls = []
    for pattern in url_patterns():
        name = pattern.name
        # Django's admin is its own; the API answers in JSON, except its docs page.
        if (
            not name
            or name.startswith("admin:")
            or (name.startswith("api:") and name != "api:docs")
        ):
            continue
        urls.append(url_of(pattern, values))
    return urls


@pytest.mark.django_db
def test_every_html_page_carries_the_policy_and_no_inline_code(client, alice, every_page):
    client.force_login(alice)
    html_pages = set()
    for url in every_page:
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        assert _policy(response["Content-Security-Policy"]) == POLICY, url
        if response.status_code == 200:
            html_pages.add(url)
            assert not _inline_code(response.content.decode()), url
    # Staff pages, the portal's and the API docs were really seen, not skipped.
    assert len([u for u in html_pages if u.startswith("/ops/")]) >= 10
    assert len([u for u in html_pages if u.startswith("/p/")]) >= 3
    assert "/api/docs/" in html_pages


@pytest.mark.django_db
def test_the_log_in_page_and_errors_carry_the_policy_too(client):
    for url in ("/accounts/login/", "/ops/no-such-operation/"):
        assert _policy(client.get(url)["Content-Security-Policy"]) == POLICY, url


def _templates() -> list[Path]:
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += Path(settings.BASE_DIR, "evac").glob("*/templates")
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_the_template_check_would_catch_inline_code():
    # The control for the test below: each pattern finds what it is meant to.
    samples = [
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        '<div style="width: 40%">',
        "<style>p {}</style>",
        '<a href="javascript:go()">',
    ]
    assert [_inline_code(s) for s in samples] == [[what] for what in INLINE]
    assert _inline_code('<script src="/static/js/boarding.js" defer></script>') == []


def test_no_template_holds_inline_code():
    templates = _templates()
    assert len(templates) > 30
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): found
        for path in templates
        if (found := _inline_code(path.read_text()))
    }
    assert offenders == {}

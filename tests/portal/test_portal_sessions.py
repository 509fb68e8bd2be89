"""The portal keeps its session in a signed cookie: a lookup writes no session row, and staff
sessions stay in the database, untouched by the portal."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from evac.core.portal_sessions import PORTAL_COOKIE_NAME, is_portal_path
from tests.logins import log_in_through_the_pages

pytestmark = pytest.mark.django_db

PASSWORD = "quiet-steppe-morning"


def _look_up(client, operation, olena):
    return client.post(
        reverse("portal:status", args=[operation.slug]),
        {"reference": olena.reference, "date_of_birth": "1985-03-14"},
    )


def test_a_status_lookup_and_its_reloads_write_no_session_row(client, operation, olena):
    answer = _look_up(client, operation, olena)
    assert answer.status_code == 302
    for _ in range(2):
        page = client.get(answer["Location"])
        assert olena.reference in page.content.decode()

    assert Session.objects.count() == 0
    cookie = answer.cookies[PORTAL_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["path"] == "/p/"
    assert "sessionid" not in answer.cookies


def test_a_changed_portal_cookie_is_no_lookup_at_all(client, operation, olena):
    _look_up(client, operation, olena)
    signed = client.cookies[PORTAL_COOKIE_NAME].value
    client.cookies[PORTAL_COOKIE_NAME] = signed[:-3] + ("AAA" if signed[-3:] != "AAA" else "BBB")

    page = client.get(reverse("portal:status", args=[operation.slug])).content.decode()

    assert 'name="reference"' in page and olena.reference not in page


def test_forgetting_the_person_deletes_the_portal_cookie(client, operation, olena):
    _look_up(client, operation, olena)

    answer = client.post(reverse("portal:forget", args=[operation.slug]))

    assert answer.cookies[PORTAL_COOKIE_NAME].value == ""
    page = client.get(reverse("portal:status", args=[operation.slug])).content.decode()
    assert 'name="reference"' in page


def test_a_logged_in_staff_member_stays_logged_in_after_using_the_portal(
    client, operation, alice, olena
):
    alice.set_password(PASSWORD)
    alice.save()
    log_in_through_the_pages(client, alice, PASSWORD)
    staff_page = f"/ops/{operation.slug}/"
    assert client.get(staff_page).status_code == 200

    _look_up(client, operation, olena)
    client.post(reverse("portal:forget", args=[operation.slug]))

    assert client.get(staff_page).status_code == 200
    assert Session.objects.count() == 1  # the staff session, server-side as before


def _portal_urls() -> list[str]:
    portal = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "portal"
    )
    names = [p.name for p in portal.url_patterns if isinstance(p, URLPattern)]
    return [reverse(f"portal:{name}", args=["op"]) for name in names]


def test_every_portal_page_is_on_the_portal_cookie_and_no_staff_page_is(operation):
    urls = _portal_urls()
    assert len(urls) >= 6
    assert all(is_portal_path(url) for url in [reverse("portal_index"), *urls])
    assert not any(
        is_portal_path(url)
        for url in ["/staff/", "/accounts/login/", f"/ops/{operation.slug}/", "/api/v1/", "/admin/"]
    )

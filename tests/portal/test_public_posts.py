"""Every public POST is bounded in cost: a size limit read before the body, a per-address
rate limit, and (registration) a form count checked before any form is built.

The walk finds the public URLs from the URL configuration: a page added later that takes an
anonymous POST must carry `public_post` (or be named below with the reason it is bounded).
"""

import pytest
from django.test import Client
from django.urls import reverse

from evac.people.models import Citizen
from evac.portal.forms import MAX_PEOPLE, PeopleFormSet
from tests.portal.test_registration import form, person
from tests.url_patterns import url_of, url_patterns

pytestmark = pytest.mark.django_db

# Public POSTs that are bounded otherwise: the staff login by django-axes (5 failures per
# address or username lock it), the language switch writes one cookie and reads one field.
BOUNDED_ELSEWHERE = {"login", "set_language"}
# Behind a login or a superuser: the other crawls (tests/test_url_access.py, the API's)
# check that nobody gets in.
STAFF_PREFIXES = ("admin", "api:", "two_factor:", "ops/", "staff/")


def public_posts(operation) -> list[tuple[str, str, object]]:
    """(name, url, view) of every URL an anonymous visitor can POST to and be answered."""
    found = []
    anonymous = Client()
    for pattern in url_patterns():
        if pattern.name.startswith(STAFF_PREFIXES) or pattern.route.startswith(STAFF_PREFIXES):
            continue
        if pattern.regex or not set(pattern.params) <= {"op"}:
            continue
        url = url_of(pattern, {"operation_slug": operation.slug})
        answer = anonymous.post(url, {})
        if answer.status_code in (401, 403, 404, 405):
            continue
        if answer.status_code == 302 and "/accounts/login/" in answer["Location"]:
            continue
        found.append((pattern.name, url, pattern.callback))
    return found


def test_the_walk_finds_the_portals_forms(operation):
    names = {name for name, _url, _view in public_posts(operation)}
    assert {"portal:register", "portal:status", "portal:send_code", "portal:change"} <= names


def test_every_public_post_is_bounded(operation):
    for name, _url, view in public_posts(operation):
        assert getattr(view, "public_post", False) or name in BOUNDED_ELSEWHERE, (
            f"{name} takes an anonymous POST without public_post: bound its size and rate"
        )


def test_every_portal_post_refuses_an_oversized_body_unread(settings, operation):
    settings.EVAC_PORTAL_MAX_POST_BYTES = 1000
    for name, url, _view in public_posts(operation):
        if name in BOUNDED_ELSEWHERE:
            continue
        answer = Client().post(url, {"surname": "x" * 2000}, REMOTE_ADDR="10.7.0.1")
        assert answer.status_code == 413, name


def test_every_portal_post_is_rate_limited_per_address(settings, operation):
    settings.EVAC_PORTAL_RATE_PER_IP = "3/m"
    for name, url, _view in public_posts(operation):
        if name in BOUNDED_ELSEWHERE:
            continue
        visitor = Client()
        for _ in range(3):
            visitor.post(url, {}, REMOTE_ADDR="10.8.0.1")
        assert visitor.post(url, {}, REMOTE_ADDR="10.8.0.1").status_code == 429, name


def test_a_forged_form_count_is_refused_before_any_form_is_built(client, operation, almaty):
    data = {**form(almaty, person(0)), "people-TOTAL_FORMS": "1000"}
    answer = client.post(reverse("portal:register", args=[operation.slug]), data)
    assert answer.status_code == 400
    assert "at most 12 people" in answer.content.decode()
    assert not Citizen.objects.exists()


def test_a_count_that_is_not_a_number_is_refused(client, operation, almaty):
    data = {**form(almaty, person(0)), "people-TOTAL_FORMS": "many"}
    answer = client.post(reverse("portal:register", args=[operation.slug]), data)
    assert answer.status_code == 400


def test_the_formset_itself_never_builds_more_than_twelve_forms(operation, almaty):
    data = {**form(almaty, person(0)), "people-TOTAL_FORMS": "1000"}
    people = PeopleFormSet(data, prefix="people", form_kwargs={"phone_regions": ("KZ",)})
    assert len(people.forms) == MAX_PEOPLE
    assert not people.is_valid()


def test_adding_a_person_stops_at_twelve(client, operation, almaty):
    data = form(almaty, *(person(n, given_names=f"P{n}") for n in range(MAX_PEOPLE)))
    data["add_person"] = "1"
    page = client.post(reverse("portal:register", args=[operation.slug]), data).content.decode()
    assert f'name="people-{MAX_PEOPLE}-surname"' not in page


def test_long_free_text_is_refused_with_a_clear_error(client, operation, almaty):
    data = form(almaty, person(0, medical_need="on", medical_details="x" * 5000))
    data["temporary_address"] = "y" * 5000
    page = client.post(reverse("portal:register", args=[operation.slug]), data)
    assert page.status_code == 200
    assert "Ensure this value has at most 1000 characters" in page.content.decode()
    assert not Citizen.objects.exists()

"""Who may do what on the registry's pages: viewers read, other operations see nothing."""

import pytest
from django.urls import reverse

from evac.people.models import Citizen
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(operation, almaty):
    return make_citizen(operation, almaty)


def every_url(operation, citizen) -> list[str]:
    slug, code = operation.slug, citizen.reference_code
    return [
        reverse("people:list", args=[slug]),
        reverse("people:new", args=[slug]),
        *(reverse(f"people:{name}", args=[slug, code]) for name in ("detail", "edit", "status")),
        reverse("people:contact", args=[slug, code]),
    ]


WRITE_PAYLOAD = {
    "status": "decided_to_stay",
    "channel": "phone",
    "direction": "outbound",
    "outcome": "reached",
    "surname": "Changed",
}


def test_a_viewer_reads_but_every_page_that_changes_something_is_forbidden(
    client, carol, operation, olena
):
    client.force_login(carol)
    slug, code = operation.slug, olena.reference_code

    assert client.get(reverse("people:list", args=[slug])).status_code == 200
    assert client.get(reverse("people:detail", args=[slug, code])).status_code == 200
    changing = [
        url
        for url in every_url(operation, olena)
        if not url.endswith((slug + "/citizens/", code + "/"))
    ]
    assert len(changing) == 4
    for url in changing:
        if "/contact/" not in url:
            assert client.get(url, {"status": "unreachable"}).status_code == 403, url
        assert client.post(url, WRITE_PAYLOAD).status_code == 403, url

    olena.refresh_from_db()
    assert olena.status == Citizen.Status.WAITING and olena.surname != "Changed"
    assert not olena.contacts.exists()
    assert operation.citizens.count() == 1


def test_a_member_of_another_operation_gets_not_found_everywhere(client, dave, operation, olena):
    client.force_login(dave)

    for url in every_url(operation, olena):
        assert client.get(url).status_code == 404, url
        assert client.post(url, WRITE_PAYLOAD).status_code == 404, url

    olena.refresh_from_db()
    assert olena.status == Citizen.Status.WAITING and not olena.contacts.exists()


def test_a_person_of_another_operation_is_not_found_under_ours(
    client, bob, operation, other_operation, almaty
):
    theirs = make_citizen(other_operation, almaty)
    client.force_login(bob)

    for name in ("detail", "edit", "status"):
        url = reverse(f"people:{name}", args=[operation.slug, theirs.reference_code])
        assert client.get(url).status_code == 404
    contact = reverse("people:contact", args=[operation.slug, theirs.reference_code])
    assert client.post(contact, WRITE_PAYLOAD).status_code == 404
    assert not theirs.contacts.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, operation, olena):
    for url in every_url(operation, olena):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")

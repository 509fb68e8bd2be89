"""Medical details by role: every member sees who has a medical need (the waiting list's
order explains itself with it); only officers and coordinators read what the need is."""

import pytest
from django.urls import reverse

from evac.operations.access import ROLE_PERMISSIONS, Permission
from evac.operations.models import Role
from evac.people.privacy import withheld_fields
from tests.people.sensitive import MEDICAL, MEDICAL_BEFORE, sensitive_person, staff_pages
from tests.people.test_edit_views import as_posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanna(operation, almaty, flight, alice):
    return sensitive_person(operation, almaty, flight, by=alice)


def _detail(client, person):
    return client.get(reverse("people:detail", args=[person.operation.slug, person.reference_code]))


def _edit_url(person) -> str:
    return reverse("people:edit", args=[person.operation.slug, person.reference_code])


def test_only_officers_and_coordinators_may_read_medical_details():
    assert Permission.VIEW_MEDICAL in ROLE_PERMISSIONS[Role.COORDINATOR]
    assert Permission.VIEW_MEDICAL in ROLE_PERMISSIONS[Role.OFFICER]
    assert withheld_fields(ROLE_PERMISSIONS[Role.VIEWER]) == {"medical_details"}
    assert withheld_fields(ROLE_PERMISSIONS[Role.OFFICER]) == frozenset()


def test_no_page_a_viewer_can_open_shows_the_medical_details(client, carol, hanna):
    client.force_login(carol)

    pages = staff_pages(client, hanna, membership_id=carol.memberships.get().pk)

    # The crawl did reach the pages that show this person.
    assert {"people:detail", "people:list", "flights:manifest", "flights:print"} <= set(pages)
    assert hanna.person.surname.upper() in pages["people:detail"]
    for name, html in pages.items():
        assert MEDICAL not in html, name
        assert MEDICAL_BEFORE not in html, name


def test_a_viewer_still_sees_who_has_a_medical_need(client, carol, hanna):
    client.force_login(carol)

    html = _detail(client, hanna.person).content.decode()

    assert 'class="badge need-medical"' in html
    assert "(the details are not shown to your role)" in html


@pytest.mark.parametrize("user", ["alice", "bob"])
def test_officers_and_coordinators_read_the_details_on_the_persons_page(
    client, request, user, hanna
):
    client.force_login(request.getfixturevalue(user))

    html = _detail(client, hanna.person).content.decode()

    assert f"Yes: {MEDICAL}" in html
    assert f"<del>{MEDICAL_BEFORE}</del>" in html and f"<ins>{MEDICAL}</ins>" in html
    assert "not shown to your role" not in html


def test_the_history_tells_a_viewer_that_the_details_changed_but_not_what_they_say(
    client, carol, alice, hanna
):
    client.force_login(carol)

    history = _detail(client, hanna.person).context["history"]

    entry = next(e for e in history if "medical_details" in {c.field for c in e.changes})
    change = next(c for c in entry.changes if c.field == "medical_details")
    assert entry.by == alice  # still listed, with who made the change and when
    assert (change.old, change.new) == ("not shown to your role", "not shown to your role")


def test_a_viewer_cannot_open_the_edit_form(client, carol, hanna):
    client.force_login(carol)

    response = client.get(_edit_url(hanna.person))

    assert response.status_code == 403
    assert MEDICAL not in response.content.decode()


def test_an_officer_edits_the_details_in_the_form(client, bob, hanna):
    client.force_login(bob)

    response = client.get(_edit_url(hanna.person))

    assert response.status_code == 200
    assert 'name="medical_details"' in response.content.decode()
    assert MEDICAL in response.content.decode()


def test_an_editor_whose_role_may_not_read_the_details_neither_sees_nor_clears_them(
    client, bob, hanna, monkeypatch
):
    # No such role today; the form must not fall back to showing or blanking the field.
    without = ROLE_PERMISSIONS[Role.OFFICER] - {Permission.VIEW_MEDICAL}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.OFFICER, without)
    person = hanna.person
    client.force_login(bob)

    form_page = client.get(_edit_url(person)).content.decode()
    posted = as_posted(person, notes="prefers a window seat")
    del posted["medical_details"]  # not on the page, so the browser doesn't send it
    response = client.post(_edit_url(person), posted)

    assert MEDICAL not in form_page and 'name="medical_details"' not in form_page
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.notes == "prefers a window seat"
    assert person.medical_details == MEDICAL

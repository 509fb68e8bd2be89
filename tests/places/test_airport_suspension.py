"""A coordinator suspends or reopens an airport of the operation's country with a note; the
dashboard, the waiting list and the public page say so, and the change is in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evac.operations.services import airport_set_status
from evac.places.models import Airport
from evac.places.selectors import cities_needing_transfer
from tests.factories import make_airport, make_citizen

pytestmark = pytest.mark.django_db


def test_a_coordinator_suspends_an_airport_with_a_note_and_the_history_says_who(
    operation, nqz, alice
):
    airport_set_status(
        operation=operation, airport=nqz, status="suspended", note="Runway closed", by=alice
    )

    nqz.refresh_from_db()
    assert (nqz.status, nqz.status_note) == ("suspended", "Runway closed")
    change = nqz.history.first()
    assert change.history_user == alice
    assert change.status == "suspended"


def test_a_suspension_needs_a_note(operation, nqz, alice):
    with pytest.raises(ValidationError):
        airport_set_status(operation=operation, airport=nqz, status="suspended", note=" ", by=alice)
    nqz.refresh_from_db()
    assert nqz.is_open


def test_a_coordinator_reopens_an_airport(operation, ala, alice):
    airport_set_status(operation=operation, airport=ala, status="open", note="", by=alice)
    ala.refresh_from_db()
    assert ala.is_open


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_the_operations_coordinators_change_an_airport(operation, nqz, who, request):
    with pytest.raises(PermissionDenied):
        airport_set_status(
            operation=operation,
            airport=nqz,
            status="suspended",
            note="x",
            by=request.getfixturevalue(who),
        )
    nqz.refresh_from_db()
    assert nqz.is_open


def test_an_airport_outside_the_operations_country_is_not_its_to_suspend(operation, kbp, alice):
    with pytest.raises(ValidationError):
        airport_set_status(operation=operation, airport=kbp, status="suspended", note="x", by=alice)


def test_a_city_needs_a_transfer_only_when_all_its_airports_are_suspended(almaty, ala, nur_sultan):
    assert list(cities_needing_transfer()) == [almaty]
    make_airport("BXJ", almaty)
    assert list(cities_needing_transfer()) == []


def test_the_dashboard_shows_the_suspension_and_who_needs_a_transfer(
    client, operation, almaty, ala, nur_sultan, nqz, carol
):
    ala.status_note = "Military flights only"
    ala.save()
    make_citizen(operation, almaty)
    make_citizen(operation, nur_sultan)
    client.force_login(carol)

    page = client.get(reverse("operations:dashboard", args=[operation.slug])).content.decode()

    assert "Military flights only" in page
    # In the table of people waiting by city (the map above it says so in its own way).
    badge = '<span class="badge warning">needs a transfer</span>'
    (marked,) = [row for row in page.split("<tr") if badge in row]
    assert str(almaty) in marked and str(nur_sultan) not in marked


def test_the_waiting_list_marks_people_who_need_a_transfer(
    client, operation, almaty, ala, nur_sultan, nqz, carol
):
    make_citizen(operation, almaty, surname="Almatynska")
    make_citizen(operation, nur_sultan, surname="Astanska")
    client.force_login(carol)

    page = client.get(reverse("people:list", args=[operation.slug]), {"status": "waiting"})
    rows = page.content.decode().lower().split("<tr>")

    assert "needs a transfer" in next(r for r in rows if "almatynska" in r)
    assert "needs a transfer" not in next(r for r in rows if "astanska" in r)


def test_the_airports_page_changes_an_airport_for_a_coordinator_only(
    client, operation, nqz, alice, bob
):
    url = reverse("operations:airport-status", args=[operation.slug, "NQZ"])
    client.force_login(bob)
    assert client.post(url, {"status": "suspended", "note": "x"}).status_code == 403

    client.force_login(alice)
    response = client.post(url, {"status": "suspended", "note": "Snow"}, follow=True)

    nqz.refresh_from_db()
    assert (nqz.status, nqz.status_note) == ("suspended", "Snow")
    assert "Snow" in response.content.decode()


def test_a_viewer_sees_the_airports_but_no_form(client, operation, ala, carol):
    client.force_login(carol)
    page = client.get(reverse("operations:airports", args=[operation.slug])).content.decode()
    assert "ALA" in page and "Suspended" in page
    assert 'name="note"' not in page


def test_the_public_page_says_which_airport_is_suspended(client, operation, ala, nqz):
    ala.status_note = "Used by military transport only."
    ala.save()

    page = client.get(reverse("portal:home", args=[operation.slug])).content.decode()

    assert "(ALA)" in page and "Used by military transport only." in page
    assert "(NQZ)" not in page.split("<h2")[1]


def test_the_api_suspends_an_airport_for_a_coordinator(operation, nqz, alice):
    from tests.api.client import op_url, token_client

    response = token_client(alice).post(
        op_url(operation, "airports/NQZ/status/"),
        {"status": "suspended", "note": "Snow"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "suspended"
    nqz.refresh_from_db()
    assert nqz.status_note == "Snow"


def test_the_api_refuses_a_suspension_without_a_note(operation, nqz, alice):
    from tests.api.client import op_url, token_client

    response = token_client(alice).post(
        op_url(operation, "airports/NQZ/status/"), {"status": "suspended"}, format="json"
    )

    assert response.status_code == 400
    nqz.refresh_from_db()
    assert nqz.is_open
    assert Airport.objects.filter(status="suspended").count() == 0

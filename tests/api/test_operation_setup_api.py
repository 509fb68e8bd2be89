"""The operation's set-up through the API, as on its staff pages: the advice on the public
page, closing, the anonymisation date and reopening, moving flights off a suspended airport,
and a member's lockout and second step. The same services, so the same rules and refusals."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice

from evac.core import clock
from evac.flights.models import Flight
from evac.flights.services import flight_set_status
from evac.operations.models import Operation
from evac.operations.services import airport_set_status
from evac.places.models import Airport
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_airport, make_flight
from tests.logins import StaffClient

pytestmark = pytest.mark.django_db


# Advice ------------------------------------------------------------------------------------


def test_a_coordinator_changes_the_advice_and_reads_it_back(operation, alice):
    api = token_client(alice)

    changed = api.post(op_url(operation, "advice/"), {"advice": "  Stay indoors.  "}, format="json")
    read = api.get(op_url(operation, ""))

    assert changed.status_code == 200, changed.content
    assert changed.json()["advice"] == "Stay indoors."
    assert read.json()["advice"] == "Stay indoors."
    operation.refresh_from_db()
    assert operation.advice == "Stay indoors."


def test_advice_too_long_or_not_text_is_a_400_on_the_field(operation, alice):
    api = token_client(alice)

    long = api.post(op_url(operation, "advice/"), {"advice": "x" * 2001}, format="json")
    number = api.post(op_url(operation, "advice/"), {"advice": 12}, format="json")

    assert (long.status_code, number.status_code) == (400, 400)
    assert "under 2000 characters" in error_of(long)["fields"]["advice"][0]
    assert list(error_of(number)["fields"]) == ["advice"]
    operation.refresh_from_db()
    assert operation.advice == ""


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_an_officer_or_a_viewer_may_not_change_the_advice(operation, who, request):
    response = token_client(request.getfixturevalue(who)).post(
        op_url(operation, "advice/"), {"advice": "Go to the airport now."}, format="json"
    )

    assert response.status_code == 403
    operation.refresh_from_db()
    assert operation.advice == ""


# Closing -----------------------------------------------------------------------------------


def test_a_coordinator_closes_moves_the_date_and_reopens(operation, alice, settings):
    settings.EVAC_RETENTION_DAYS = 90
    api = token_client(alice)
    today = clock.today()

    closed = api.post(op_url(operation, "close/"))
    later = (today + timedelta(days=10)).isoformat()
    moved = api.post(op_url(operation, "anonymise-on/"), {"on": later}, format="json")
    reopened = api.post(op_url(operation, "reopen/"))

    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"
    assert closed.json()["anonymise_on"] == (today + timedelta(days=90)).isoformat()
    # Closed, it is read-only: what the coordinator may do there says so.
    assert "plan_flights" not in closed.json()["permissions"]
    assert moved.status_code == 200, moved.content
    assert moved.json()["anonymise_on"] == later
    assert reopened.status_code == 200, reopened.content
    assert (reopened.json()["status"], reopened.json()["anonymise_on"]) == ("active", None)
    operation.refresh_from_db()
    assert operation.status == Operation.Status.ACTIVE


def test_closing_with_a_flight_still_ahead_is_a_409(operation, alice, flight):
    response = token_client(alice).post(op_url(operation, "close/"))

    assert response.status_code == 409
    assert "1 flight is still planned, open or boarding" in error_of(response)["message"]
    operation.refresh_from_db()
    assert operation.status == Operation.Status.ACTIVE


def test_an_anonymisation_date_in_the_past_is_a_400_on_the_field(operation, alice):
    api = token_client(alice)
    api.post(op_url(operation, "close/"))
    yesterday = (clock.today() - timedelta(days=1)).isoformat()

    response = api.post(op_url(operation, "anonymise-on/"), {"on": yesterday}, format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"on": ["The date can't be in the past."]}


def test_reopening_an_active_operation_or_dating_it_is_a_409(operation, alice):
    api = token_client(alice)
    later = (clock.today() + timedelta(days=10)).isoformat()

    reopened = api.post(op_url(operation, "reopen/"))
    dated = api.post(op_url(operation, "anonymise-on/"), {"on": later}, format="json")

    assert (reopened.status_code, dated.status_code) == (409, 409)
    assert error_of(reopened)["code"] == "invalid_transition"
    operation.refresh_from_db()
    assert operation.anonymise_on is None


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_a_coordinator_closes_or_reopens(operation, alice, who, request):
    api = token_client(request.getfixturevalue(who))

    closing = api.post(op_url(operation, "close/"))
    token_client(alice).post(op_url(operation, "close/"))
    reopening = api.post(op_url(operation, "reopen/"))

    assert (closing.status_code, reopening.status_code) == (403, 403)
    operation.refresh_from_db()
    assert operation.status == Operation.Status.CLOSED


def test_the_portal_closes_at_once_when_the_api_closes_the_operation(client, operation, alice):
    assert client.get(f"/p/{operation.slug}/").status_code == 200

    token_client(alice).post(op_url(operation, "close/"))

    assert client.get(f"/p/{operation.slug}/").status_code == 404


# Flights from a suspended airport ----------------------------------------------------------


@pytest.fixture
def from_almaty(operation, almaty, kbp, alice):
    flight = make_flight(operation, make_airport("ALA", almaty), kbp)
    airport_set_status(
        operation=operation,
        airport=flight.departure_airport,
        status=Airport.Status.SUSPENDED,
        note="Military use",
        by=alice,
    )
    return flight


def test_a_coordinator_lists_the_stranded_flights_and_moves_one(operation, from_almaty, nqz, alice):
    api = token_client(alice)

    listed = api.get(op_url(operation, "airports/flights/"))
    moved = api.post(
        op_url(operation, f"airports/flights/{from_almaty.pk}/move/"),
        {"departure_airport": "NQZ"},
        format="json",
    )

    assert [f["id"] for f in listed.json()] == [from_almaty.pk]
    assert moved.status_code == 200, moved.content
    assert moved.json()["departure_airport"] == "NQZ"
    from_almaty.refresh_from_db()
    assert from_almaty.departure_airport == nqz
    assert api.get(op_url(operation, "airports/flights/")).json() == []


def test_moving_to_a_suspended_airport_or_none_is_a_400_on_the_field(
    operation, from_almaty, nur_sultan, kbp, alice
):
    make_airport("NQX", nur_sultan, status=Airport.Status.SUSPENDED)
    api = token_client(alice)
    url = op_url(operation, f"airports/flights/{from_almaty.pk}/move/")

    suspended = api.post(url, {"departure_airport": "NQX"}, format="json")
    abroad = api.post(url, {"departure_airport": "KBP"}, format="json")

    assert (suspended.status_code, abroad.status_code) == (400, 400)
    assert list(error_of(suspended)["fields"]) == ["departure_airport"]
    assert error_of(abroad)["fields"] == {"departure_airport": ["No such airport in this country."]}
    from_almaty.refresh_from_db()
    assert from_almaty.departure_airport.iata_code == "ALA"


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_an_officer_or_a_viewer_may_not_move_a_flight(operation, from_almaty, who, request):
    response = token_client(request.getfixturevalue(who)).post(
        op_url(operation, f"airports/flights/{from_almaty.pk}/move/"),
        {"departure_airport": "NQZ"},
        format="json",
    )

    assert response.status_code == 403
    assert Flight.objects.get(pk=from_almaty.pk).departure_airport.iata_code == "ALA"


def test_a_cancelled_flight_is_not_moved(operation, from_almaty, alice):
    flight_set_status(flight=from_almaty, status=Flight.Status.CANCELLED, by=alice)

    response = token_client(alice).post(
        op_url(operation, f"airports/flights/{from_almaty.pk}/move/"),
        {"departure_airport": "NQZ"},
        format="json",
    )

    assert 400 <= response.status_code < 500
    error_of(response)
    assert Flight.objects.get(pk=from_almaty.pk).departure_airport.iata_code == "ALA"


# A member's login --------------------------------------------------------------------------


def _lock_out(username: str) -> None:
    for _attempt in range(5):
        StaffClient().post(
            "/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR="10.0.0.9"
        )


def test_a_coordinator_lifts_a_members_lockout(operation, alice, bob):
    _lock_out("bob")
    assert AccessAttempt.objects.filter(username="bob").exists()

    response = token_client(alice).post(
        op_url(operation, f"members/{bob.memberships.get().pk}/unlock/")
    )

    assert response.status_code == 204
    assert not AccessAttempt.objects.filter(username="bob").exists()


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_an_officer_or_a_viewer_may_not_lift_a_lockout(operation, alice, who, request):
    _lock_out("alice")

    response = token_client(request.getfixturevalue(who)).post(
        op_url(operation, f"members/{alice.memberships.get().pk}/unlock/")
    )

    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username="alice").exists()


def test_the_lockout_of_headquarters_is_an_administrators_to_lift(operation, alice, bob):
    from evac.operations.models import Headquarters

    Headquarters.objects.create(user=bob)
    _lock_out("bob")

    response = token_client(alice).post(
        op_url(operation, f"members/{bob.memberships.get().pk}/unlock/")
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert AccessAttempt.objects.filter(username="bob").exists()


def test_a_coordinator_resets_a_members_second_step(operation, alice, bob):
    TOTPDevice.objects.create(user=bob, name="phone")

    response = token_client(alice).post(
        op_url(operation, f"members/{bob.memberships.get().pk}/second-step/reset/")
    )

    assert response.status_code == 204
    assert not TOTPDevice.objects.filter(user=bob).exists()


def test_a_member_of_another_operation_is_not_found_to_unlock(operation, alice, dave):
    response = token_client(alice).post(
        op_url(operation, f"members/{dave.memberships.get().pk}/unlock/")
    )

    assert response.status_code == 404

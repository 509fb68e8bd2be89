"""Every endpoint of an operation, called by each role, by a member of another operation
and by nobody: the same roles and scoping as the staff pages.

A coordinator may do everything; an officer registers and edits people and handles
passengers; a viewer only reads; dave (another operation's coordinator) gets 404, as if the
operation did not exist; an anonymous caller gets 401. A write a role may make succeeds.
"""

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.core.requests import Caller
from evac.flights.models import Flight
from evac.flights.offers import offers_make
from evac.flights.services import booking_create
from evac.flights.transfers import transfer_book
from evac.operations.access import Permission
from evac.operations.models import Role
from evac.people.import_models import ImportMapping
from evac.people.imports import import_create
from evac.people.merges import citizens_merge
from evac.people.models import Citizen, DismissedPair, DuplicatePair
from evac.people.services import household_register
from tests.api.client import error_of, op_url, session_client, token_client
from tests.factories import make_citizen, make_flight, make_member
from tests.flights.factories import make_transfer

P = Permission


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # formatted with the scenario's attributes
    permission: Permission = P.VIEW
    body: dict | None = None
    success: int = 200

    def call(self, client, s: SimpleNamespace):
        url = op_url(s.operation, self.path.format(**vars(s)))
        body = self.body(s) if callable(self.body) else self.body
        return getattr(client, self.method)(url, body, format="json")


def _person(s) -> dict:
    return {
        "surname": "Melnyk",
        "given_names": "Iryna",
        "date_of_birth": "1990-02-03",
        "sex": "F",
        "nationality": "UA",
        "document_type": "passport",
        "document_number": "FX123456",
        "current_city": s.almaty.pk,
    }


def _transfer(s) -> dict:
    return {
        "mode": "rail",
        "number": "12",
        "from_city": s.almaty.pk,
        "to_city": s.nur_sultan.pk,
        "departs_at": (now() + timedelta(days=29)).isoformat(),
        "arrives_at": (now() + timedelta(days=29, hours=11)).isoformat(),
        "meeting_point": "Almaty-2 station, main hall",
        "seats_total": 120,
    }


def _flight(s) -> dict:
    return {
        "number": "PS9100",
        "carrier": "UIA",
        "kind": "charter",
        "departure_airport": "NQZ",
        "arrival_airport": "KBP",
        # A month ahead: a flight is planned for a time still to come.
        "departs_at": (now() + timedelta(days=30)).isoformat(),
        "arrives_at": (now() + timedelta(days=30, hours=5)).isoformat(),
        "seats_total": 40,
    }


ENDPOINTS = [
    Endpoint("operation", "get", ""),
    Endpoint("airports", "get", "airports/"),
    Endpoint(
        "airport status",
        "post",
        "airports/ALA/status/",
        P.MANAGE_AIRPORTS,
        {"status": "suspended", "note": "Military use only"},
    ),
    Endpoint("places", "get", "places/"),
    Endpoint("add city", "post", "places/cities/", P.ADD_PLACES, {"geonames_id": 1518980}, 201),
    Endpoint("add airport", "post", "places/airports/", P.ADD_PLACES, {"iata_code": "CIT"}, 201),
    Endpoint("statistics", "get", "statistics/"),
    Endpoint("members", "get", "members/", P.MANAGE_MEMBERS),
    Endpoint(
        "add member",
        "post",
        "members/",
        P.MANAGE_MEMBERS,
        {"username": "erin", "role": "coordinator", "email": "erin@mfa.example"},
        201,
    ),
    Endpoint("member", "get", "members/{member_id}/", P.MANAGE_MEMBERS),
    Endpoint(
        "change role", "patch", "members/{member_id}/", P.MANAGE_MEMBERS, {"role": "coordinator"}
    ),
    Endpoint("remove member", "delete", "members/{member_id}/", P.MANAGE_MEMBERS, None, 204),
    Endpoint("citizen list", "get", "citizens/"),
    Endpoint("register citizen", "post", "citizens/", P.EDIT_CITIZENS, _person, 201),
    Endpoint("citizen", "get", "citizens/{ref}/"),
    Endpoint("edit citizen", "patch", "citizens/{ref}/", P.EDIT_CITIZENS, {"notes": "calls"}),
    Endpoint(
        "citizen status",
        "post",
        "citizens/{ref}/status/",
        P.EDIT_CITIZENS,
        {"status": "decided_to_stay"},
    ),
    Endpoint(
        "merge citizens",
        "post",
        "citizens/{ref}/merge/",
        P.MERGE_PEOPLE,
        lambda s: {"other": s.other_ref, "use_other": ["phone"]},
        201,
    ),
    Endpoint("undo merge", "post", "merges/{merge_id}/undo/", P.MERGE_PEOPLE),
    Endpoint("likely duplicates", "get", "duplicates/"),
    Endpoint(
        "not the same person", "post", "duplicates/{duplicate_pair_id}/dismiss/", P.MERGE_PEOPLE
    ),
    Endpoint("pairs judged two people", "get", "duplicates/dismissed/"),
    Endpoint(
        "withdraw a judgement",
        "post",
        "duplicates/dismissed/{dismissed_pair_id}/undo/",
        P.MERGE_PEOPLE,
    ),
    Endpoint("contact log", "get", "citizens/{ref}/contacts/"),
    Endpoint(
        "log contact",
        "post",
        "citizens/{ref}/contacts/",
        P.EDIT_CITIZENS,
        {"channel": "phone", "direction": "outbound", "outcome": "reached"},
        201,
    ),
    Endpoint("household list", "get", "households/"),
    Endpoint("household", "get", "households/{household_id}/"),
    Endpoint(
        "register household",
        "post",
        "households/",
        P.EDIT_CITIZENS,
        lambda s: {"members": [_person(s)]},
        201,
    ),
    Endpoint("flight list", "get", "flights/"),
    Endpoint("plan flight", "post", "flights/", P.PLAN_FLIGHTS, _flight, 201),
    Endpoint("flight", "get", "flights/{flight_id}/"),
    Endpoint("edit flight", "patch", "flights/{flight_id}/", P.PLAN_FLIGHTS, {"notes": "x"}),
    Endpoint(
        "flight status",
        "post",
        "flights/{flight_id}/status/",
        P.PLAN_FLIGHTS,
        {"status": "boarding"},
    ),
    Endpoint("manifest", "get", "flights/{flight_id}/bookings/"),
    Endpoint(
        "book",
        "post",
        "flights/{flight_id}/bookings/",
        P.MANAGE_BOOKINGS,
        lambda s: {"citizen": s.ref},
        201,
    ),
    Endpoint("seat", "get", "flights/{flight_id}/bookings/{booking_id}/"),
    Endpoint(
        "cancel seat",
        "post",
        "flights/{flight_id}/bookings/{booking_id}/cancel/",
        P.MANAGE_BOOKINGS,
    ),
    Endpoint(
        "seat status",
        "post",
        "flights/{flight_id}/bookings/{booking_id}/status/",
        P.HANDLE_PASSENGERS,
        {"status": "confirmed"},
    ),
    Endpoint("manifest as JSON", "get", "flights/{flight_id}/manifest/"),
    Endpoint("manifest as CSV", "get", "flights/{flight_id}/manifest.csv", P.EXPORT_DOCUMENTS),
    Endpoint(
        "manifest as PAXLST", "get", "flights/{flight_id}/manifest.paxlst", P.EXPORT_DOCUMENTS
    ),
    Endpoint("flight's offers", "get", "flights/{flight_id}/offers/"),
    Endpoint("make offers", "post", "flights/{flight_id}/offers/", P.MANAGE_BOOKINGS, {}, 201),
    Endpoint(
        "accept offer",
        "post",
        "flights/{flight_id}/offers/{offer_id}/accept/",
        P.ANSWER_SEAT_OFFERS,
    ),
    Endpoint(
        "decline offer",
        "post",
        "flights/{flight_id}/offers/{offer_id}/decline/",
        P.ANSWER_SEAT_OFFERS,
    ),
    Endpoint("pending offers", "get", "offers/"),
    Endpoint(
        "preview a fill", "post", "flights/{flight_id}/fill/", P.MANAGE_BOOKINGS, {"preview": True}
    ),
    Endpoint("fill", "post", "flights/{flight_id}/fill/", P.MANAGE_BOOKINGS, {}, 201),
    Endpoint("transfer list", "get", "transfers/"),
    Endpoint("plan transfer", "post", "transfers/", P.PLAN_FLIGHTS, _transfer, 201),
    Endpoint("transfer", "get", "transfers/{transfer_id}/"),
    Endpoint(
        "edit transfer", "patch", "transfers/{transfer_id}/", P.PLAN_FLIGHTS, {"operator": "KTZ"}
    ),
    Endpoint(
        "transfer status",
        "post",
        "transfers/{transfer_id}/status/",
        P.PLAN_FLIGHTS,
        {"status": "boarding"},
    ),
    Endpoint("transfer manifest", "get", "transfers/{transfer_id}/passengers/"),
    Endpoint(
        "put on transfer",
        "post",
        "transfers/{transfer_id}/passengers/",
        P.MANAGE_BOOKINGS,
        lambda s: {"citizen": s.ref},
        201,
    ),
    Endpoint(
        "cancel transfer seat",
        "post",
        "transfers/{transfer_id}/passengers/{transfer_seat_id}/cancel/",
        P.MANAGE_BOOKINGS,
    ),
    # The transfer is still scheduled: a role allowed to board people reaches the rule
    # that boarding waits for the bus (409); tests/api/test_transfers_api.py boards them.
    Endpoint(
        "board transfer seat",
        "post",
        "transfers/{transfer_id}/passengers/{transfer_seat_id}/status/",
        P.HANDLE_PASSENGERS,
        {"status": "boarded"},
        409,
    ),
    Endpoint(
        "book journey",
        "post",
        "transfers/journeys/",
        P.MANAGE_BOOKINGS,
        lambda s: {"flight": s.flight_id, "transfers": [s.transfer_id], "citizen": s.ref},
        201,
    ),
]
if apps.is_installed("evac.notifications"):
    ENDPOINTS += [
        Endpoint("notifications", "get", "notifications/"),
        # The confirmation of the scenario's booking: waiting to go, so it can be cancelled.
        Endpoint("cancel a message", "post", "notifications/{message_id}/cancel/", P.EDIT_CITIZENS),
        Endpoint(
            "preview a broadcast",
            "post",
            "broadcasts/",
            P.EDIT_CITIZENS,  # who may send messages
            lambda s: {"city": s.almaty.pk, "text": "Stay indoors.", "preview": True},
        ),
        Endpoint(
            "send a broadcast",
            "post",
            "broadcasts/",
            P.EDIT_CITIZENS,
            lambda s: {"city": s.almaty.pk, "text": "Stay indoors.", "token": "b" * 32},
            201,
        ),
    ]

ROLE_MAY = {
    "alice": set(P),
    "bob": {
        P.VIEW,
        P.EDIT_CITIZENS,
        P.HANDLE_PASSENGERS,
        P.EXPORT_DOCUMENTS,
        P.ANSWER_SEAT_OFFERS,
    },
    "carol": {P.VIEW},
}


@pytest.fixture
def scenario(operation, almaty, nur_sultan, ala, nqz, kbp, flight, alice) -> SimpleNamespace:
    # The first in line is offered a seat (an offer a role may answer for them).
    make_citizen(operation, almaty)
    (offer,) = offers_make(flight=flight, by=EVAC, limit=1)
    olena = make_citizen(operation, almaty)
    passenger = make_citizen(operation, almaty, phone="+77017654321")  # gets a confirmation
    booking = booking_create(flight=flight, citizen=passenger, by=EVAC)
    household = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            {**_person(SimpleNamespace(almaty=almaty)), "current_city": almaty, "surname": "Hh"}
        ],
    )
    twice = make_citizen(operation, almaty)
    merge = citizens_merge(
        kept=make_citizen(operation, almaty),
        dropped=make_citizen(operation, almaty),
        caller=Caller(user=alice, method="POST", through_api=True, ip_address=None),
    )
    train = make_transfer(operation, almaty, nur_sultan)
    (transfer_seat,) = transfer_book(
        transfer=train, citizen=make_citizen(operation, almaty), by=EVAC
    )
    return SimpleNamespace(
        operation=operation,
        almaty=almaty,
        nur_sultan=nur_sultan,
        transfer_id=train.pk,
        transfer_seat_id=transfer_seat.pk,
        ref=olena.reference_code,
        other_ref=twice.reference_code,
        merge_id=merge.pk,
        duplicate_pair_id=likely_pair(operation, almaty),
        dismissed_pair_id=dismissed_pair(operation, almaty),
        household_id=household.pk,
        flight_id=flight.pk,
        booking_id=booking.pk,
        offer_id=offer.pk,
        message_id=_confirmation_of(booking),
        member_id=make_member("frank", operation, Role.VIEWER).memberships.get().pk,
        import_id=import_create(
            operation=operation, by=EVAC, file_name="list.csv", content=b"Surname\nKOVAL\n"
        ).pk,
        saved_mapping_id=ImportMapping.objects.create(operation=operation, name="list").pk,
    )


def likely_pair(operation, almaty) -> int:
    """The id of a stored likely pair: two spellings of one name, born the same day."""
    first = make_citizen(operation, almaty, surname="SHEVCHENKO", given_names="YULIIA")
    second = make_citizen(
        operation, almaty, surname="SHEVCHENKO", given_names="IULIIA",
        date_of_birth=first.date_of_birth,
    )  # fmt: skip
    return DuplicatePair.objects.get(first=first, second=second).pk


def dismissed_pair(operation, almaty) -> int:
    """The id of a pair staff judged to be two people."""
    first = make_citizen(operation, almaty, surname="BONDARENKO", given_names="OKSANA")
    second = make_citizen(operation, almaty, surname="BONDAR", given_names="MARIIA")
    return DismissedPair.objects.create(operation=operation, first=first, second=second).pk


def _confirmation_of(booking) -> int:
    """The booking's confirmation message, waiting to go out (0 without messages)."""
    if not apps.is_installed("evac.notifications"):
        return 0
    messages = apps.get_model("notifications", "Notification").objects.filter(booking=booking)
    return messages.order_by("pk").first().pk


def _ids(endpoint: Endpoint) -> str:
    return f"{endpoint.method.upper()} {endpoint.name}"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_ids)
@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_a_member_may_do_what_the_role_allows_and_no_more(
    endpoint, who, request, scenario, alice, bob, carol
):
    user = {"alice": alice, "bob": bob, "carol": carol}[who]

    response = endpoint.call(token_client(user), scenario)

    if endpoint.permission in ROLE_MAY[who]:
        assert response.status_code == endpoint.success, response.content[:500]
    else:
        assert response.status_code == 403, response.content[:500]
        assert error_of(response)["code"] == "permission_denied"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_ids)
def test_a_member_of_another_operation_gets_404(endpoint, scenario, dave):
    response = endpoint.call(token_client(dave), scenario)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_ids)
def test_an_anonymous_caller_gets_401(endpoint, scenario):
    response = endpoint.call(session_client(None), scenario)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.method != "get"], ids=_ids)
def test_a_browser_session_writes_only_with_its_csrf_token(endpoint, scenario, alice):
    client = session_client(alice)
    client.handler.enforce_csrf_checks = True

    response = endpoint.call(client, scenario)

    assert response.status_code == 403
    assert "CSRF" in error_of(response)["message"]


def test_a_browser_session_reads_like_a_token(scenario, carol):
    response = session_client(carol).get(op_url(scenario.operation, "flights/"))

    assert response.status_code == 200
    assert [f["id"] for f in response.json()["results"]] == [scenario.flight_id]


def test_the_operation_list_shows_only_ones_own_operations_with_the_role(
    operation, other_operation, bob, dave
):
    mine = token_client(bob).get("/api/v1/operations/").json()["results"]
    his = token_client(dave).get("/api/v1/operations/").json()["results"]

    assert [(o["slug"], o["role"]) for o in mine] == [(operation.slug, "officer")]
    assert [o["slug"] for o in his] == [other_operation.slug]
    assert "plan_flights" not in mine[0]["permissions"]


def test_a_flight_of_another_operation_is_not_found_under_ones_own(
    operation, other_operation, nqz, kbp, alice
):
    theirs = make_flight(other_operation, nqz, kbp)

    response = token_client(alice).get(op_url(operation, f"flights/{theirs.pk}/"))

    assert response.status_code == 404
    assert Flight.objects.filter(pk=theirs.pk).exists()

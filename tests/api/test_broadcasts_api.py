"""Broadcasts through the API, as on the staff page: a preview that writes nothing and
counts what a send writes, then the send with the preview's token, once."""

import pytest

from evac.core.actor import EVAC
from evac.flights.models import Flight
from evac.flights.services import booking_create
from evac.notifications.broadcasts import broadcast_send
from evac.notifications.models import Broadcast, Notification
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db
N = Notification


@pytest.fixture
def olena(operation, almaty):
    return make_citizen(
        operation, almaty, surname="Koval", phone="+77011234567", preferred_language="uk"
    )


@pytest.fixture
def john(operation, almaty):
    return make_citizen(
        operation,
        almaty,
        surname="Smith",
        phone="+77017654321",
        email="john@example.org",
        preferred_language="en",
        preferred_channel="email",
    )


def _url(operation) -> str:
    return op_url(operation, "broadcasts/")


def test_the_preview_writes_nothing_and_the_send_writes_what_it_counted(
    operation, almaty, olena, john, bob
):
    make_citizen(operation, almaty)  # no phone, no e-mail: to be called
    client = token_client(bob)
    body = {"city": almaty.pk, "texts": {"uk": "Автобус о 06:00.", "en": "The bus at 06:00."}}

    preview = client.post(_url(operation), {**body, "preview": True}, format="json")

    assert preview.status_code == 200, preview.content
    shown = preview.json()
    assert (shown["messages"], shown["by_sms"], shown["by_email"]) == (2, 1, 1)
    assert shown["without_contact"] == 1
    assert [(s["language"], s["readers"]) for s in shown["samples"]] == [("en", 1), ("uk", 1)]
    assert "Автобус о 06:00." in shown["samples"][1]["body"]
    assert not N.objects.filter(kind=N.Kind.BROADCAST).exists()

    sent = client.post(_url(operation), {**body, "token": shown["token"]}, format="json")
    again = client.post(_url(operation), {**body, "token": shown["token"]}, format="json")

    assert sent.status_code == 201, sent.content
    assert sent.json()["messages"] == 2 == N.objects.filter(kind=N.Kind.BROADCAST).count()
    assert {n.citizen for n in N.objects.filter(kind=N.Kind.BROADCAST)} == {olena, john}
    assert again.status_code == 409
    assert error_of(again)["code"] == "broadcast_already_sent"
    assert N.objects.filter(kind=N.Kind.BROADCAST).count() == 2
    assert Broadcast.objects.get().created_by == bob


def test_one_text_goes_to_everyone_on_a_flight(operation, almaty, flight, olena, john, alice):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    client = token_client(alice)
    body = {"flight": flight.pk, "text": "Gate 4."}

    token = client.post(_url(operation), {**body, "preview": True}, format="json").json()["token"]
    response = client.post(_url(operation), {**body, "token": token}, format="json")

    assert response.status_code == 201
    assert [n.citizen for n in N.objects.filter(kind=N.Kind.BROADCAST)] == [olena]


CITY = object()  # the fixture's city, filled in by the test


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"city": "x", "text": "Hi", "preview": True}, "city"),
        ({"city": 999999, "text": "Hi", "preview": True}, "city"),
        ({"flight": 999999, "text": "Hi", "preview": True}, "flight"),
        ({"city": CITY, "texts": {"en": 5}, "preview": True}, "texts"),
        ({"city": CITY, "text": "x" * 601, "preview": True}, "text"),
        ({"city": CITY, "text": "Hi", "token": "not-a-token"}, "token"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(operation, almaty, olena, alice, body, field):
    body = {key: almaty.pk if value is CITY else value for key, value in body.items()}

    response = token_client(alice).post(_url(operation), body, format="json")

    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]
    assert not N.objects.filter(kind=N.Kind.BROADCAST).exists()


def test_a_send_without_a_token_or_with_two_audiences_is_refused(operation, almaty, flight, alice):
    client = token_client(alice)

    no_token = client.post(_url(operation), {"city": almaty.pk, "text": "Hi"}, format="json")
    both = client.post(
        _url(operation),
        {"city": almaty.pk, "flight": flight.pk, "text": "Hi", "preview": True},
        format="json",
    )

    assert no_token.status_code == 400 and set(error_of(no_token)["fields"]) == {"token"}
    assert both.status_code == 400
    assert error_of(both)["message"] == "Give either a flight or a city."


def test_a_language_the_audience_reads_with_no_text_is_a_400_on_text(
    operation, almaty, olena, john, alice
):
    response = token_client(alice).post(
        _url(operation),
        {"city": almaty.pk, "texts": {"en": "The bus at 06:00."}, "preview": True},
        format="json",
    )

    assert response.status_code == 400
    assert "Українська (1 person)" in error_of(response)["fields"]["text"][0]


def test_a_landed_flight_is_not_an_audience(operation, flight, alice):
    Flight.objects.filter(pk=flight.pk).update(status=Flight.Status.LANDED)

    response = token_client(alice).post(
        _url(operation), {"flight": flight.pk, "text": "Hi", "preview": True}, format="json"
    )

    assert response.status_code == 400 and "flight" in error_of(response)["fields"]


def test_a_viewer_may_not_preview_or_send(operation, almaty, olena, carol):
    client = token_client(carol)

    for body in ({"preview": True}, {"token": "0" * 32}):
        response = client.post(
            _url(operation), {"city": almaty.pk, "text": "Hi", **body}, format="json"
        )
        assert response.status_code == 403

    assert not Broadcast.objects.exists()


def test_another_operations_member_finds_nothing(operation, almaty, dave):
    response = token_client(dave).post(
        _url(operation), {"city": almaty.pk, "text": "Hi", "preview": True}, format="json"
    )

    assert response.status_code == 404


def test_a_token_another_operation_used_neither_collides_nor_tells_of_its_broadcast(
    operation, other_operation, almaty, olena, alice, dave
):
    """The token is the caller's own within their operation: one another operation sent
    with (guessed, or met in its answers) sends here as a new broadcast, and the answer
    says nothing of the other operation's."""
    make_citizen(other_operation, almaty, phone="+77019990000")
    theirs = broadcast_send(
        operation=other_operation, by=dave, texts={"*": "Theirs."}, token="a" * 32, city=almaty
    )
    body = {"city": almaty.pk, "text": "Ours."}

    sent = token_client(alice).post(_url(operation), {**body, "token": "a" * 32}, format="json")

    assert sent.status_code == 201, sent.content
    ours = Broadcast.objects.get(operation=operation)
    assert sent.json()["id"] == ours.pk != theirs.pk
    assert N.objects.get(kind=N.Kind.BROADCAST, operation=operation).citizen == olena
    again = token_client(alice).post(_url(operation), {**body, "token": "a" * 32}, format="json")
    assert again.status_code == 409
    assert Broadcast.objects.filter(operation=other_operation).get() == theirs

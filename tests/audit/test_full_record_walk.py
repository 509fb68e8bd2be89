"""Walk every staff page and every API endpoint with every method, as the coordinator, and
check the access log's promise: whatever answer shows a person's full record writes a row,
whatever the method or its outcome (a read, a write that answers with the record, a form
sent back with errors). Lists carry list fields only.

The pages and endpoints come from the URL configuration (tests/test_url_access.py,
evac.api.urls), so one added later is walked without editing this test. A "full record" is
recognised by what only the record holds: the whole document number, the medical details,
the notes, the temporary address and the e-mail address.
"""

import json

import pytest
from django.core.cache import cache
from django.urls import resolve, reverse

from evac.api.throttling import TokenRateThrottle
from evac.audit.models import AccessLogEntry
from evac.core.actor import EVAC
from evac.flights.offers import offers_make
from evac.people import privacy
from evac.people.services import citizen_update
from tests.api.client import op_url, token_client
from tests.api.test_access_by_role import ENDPOINTS
from tests.factories import make_citizen
from tests.people.sensitive import DOCUMENT, MEDICAL, Sensitive, sensitive_person
from tests.test_url_access import staff_urls
from tests.url_patterns import ABSENT, operation_api_urls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_throttle_history():
    """Each test starts and ends with no API rate history: the walk below sends one key more
    requests than the rate allows, and a token of the next test can get the same pk (ids are
    used again after a test's rollback), so it would inherit the walk's history."""
    cache.clear()
    yield
    cache.clear()


NOTES = "Prefers calls after six Z8K3"
ADDRESS = "Dostyk 105 flat 17 Q4R2"
EMAIL = "hanna.q7p1@example.org"
# The person the API's "register citizen" body makes (tests/api/test_access_by_role.py).
REGISTERED_DOCUMENT = "FX123456"
MARKERS = [DOCUMENT, MEDICAL, NOTES, ADDRESS, EMAIL, REGISTERED_DOCUMENT]

# Invalid for every form of a person's pages: nothing is saved, pages come back with errors.
INVALID_FORM = {
    "channel": "carrier-pigeon",
    "direction": "sideways",
    "outcome": "",
    "status": "nonsense",
    "surname": "",
    "date_of_birth": "not a date",
}
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def hanna(operation, almaty, flight, alice) -> Sensitive:
    data = sensitive_person(operation, almaty, flight, by=alice)
    citizen_update(
        citizen=data.person, by=alice, notes=NOTES, temporary_address=ADDRESS, email=EMAIL
    )
    return data


def _shows_a_full_record(body: str) -> list[str]:
    return [marker for marker in MARKERS if marker in body]


def _logged_while(call, *args, **kwargs) -> tuple[object, int]:
    """The answer of call(*args, **kwargs), and how many access log rows it wrote."""
    before = AccessLogEntry.objects.count()
    response = call(*args, **kwargs)
    return response, AccessLogEntry.objects.count() - before


def test_every_page_that_shows_a_persons_record_logs_it_whatever_the_method(client, hanna, alice):
    client.force_login(alice)
    values = {
        "operation_slug": hanna.person.operation.slug,
        "flight_id": hanna.flight.pk,
        "transfer_id": 0,  # no transfer: its pages answer 404
        "transfer_seat_id": 0,
        "booking_id": hanna.booking.pk,
        "ref": hanna.person.reference_code,
        "export_format": "csv",
        "member_id": alice.memberships.get().pk,
        "airport_iata": "NQZ",
        "import_id": ABSENT,
        "merge_id": ABSENT,
        "duplicate_pair_id": ABSENT,
        "dismissed_pair_id": ABSENT,
        "message_id": ABSENT,
    }
    shown, unlogged = set(), []
    for url in staff_urls(values):
        calls = [("GET", client.get, {})]
        if hanna.person.reference_code in url:  # a person's own pages: send them bad forms
            calls.append(("POST", client.post, INVALID_FORM))
        for method, call, data in calls:
            response, logged = _logged_while(call, url, data)
            body = response.content.decode(errors="replace")
            if response.status_code == 200 and _shows_a_full_record(body):
                shown.add((method, resolve(url).view_name))
                if not logged:
                    unlogged.append(f"{method} {url} shows {_shows_a_full_record(body)}")

    assert unlogged == []
    # The walk met the record where it is shown, including the page sent back with errors.
    assert {
        ("GET", "people:detail"),
        ("GET", "people:edit"),
        ("POST", "people:contact"),
    } <= shown


def test_a_person_page_sent_back_with_errors_logs_like_the_page(client, hanna, bob):
    client.force_login(bob)
    url = reverse("people:contact", args=[hanna.person.operation.slug, hanna.person.reference_code])

    response, logged = _logged_while(client.post, url, INVALID_FORM)

    assert response.status_code == 200 and MEDICAL in response.content.decode()
    assert logged == 1
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.object_id) == (bob, "person_viewed", hanna.person.pk)


@pytest.fixture
def offer_id(operation, almaty, flight) -> int:
    """A seat offer to the first person waiting, made before hanna's flight boards (which
    withdraws it), so the walk calls the offer's addresses too."""
    make_citizen(operation, almaty)
    (offer,) = offers_make(flight=flight, by=EVAC, limit=1)
    return offer.pk


def _api_urls(hanna: Sensitive, offer_id: int) -> list[str]:
    walked = operation_api_urls(
        {
            "operation_slug": hanna.person.operation.slug,
            "ref": hanna.person.reference,
            "household_id": hanna.person.household_id,
            "flight_id": hanna.flight.pk,
            "transfer_id": 0,  # no transfer: its pages answer 404
            "transfer_seat_id": 0,
            "booking_id": hanna.booking.pk,
            "offer_id": offer_id,
            "airport_iata": hanna.flight.departure_airport.iata_code,
            "import_id": ABSENT,
            "merge_id": ABSENT,
            "duplicate_pair_id": ABSENT,
            "dismissed_pair_id": ABSENT,
            "message_id": ABSENT,  # a message is no one's record: its writes answer 404
            # A member holds no person's record; walked as alice, a valid id would let the
            # walk remove her (after it added another coordinator) and end in 404s.
            "member_id": ABSENT,
        }
    )
    return [url for _pattern, url in walked]


def _valid_bodies(hanna: Sensitive, offer_id: int) -> dict[tuple[object, str], object]:
    """The valid body of each write (tests/api/test_access_by_role.py), by view and method."""
    scenario = type(
        "Scenario",
        (),
        {
            "operation": hanna.person.operation,
            "almaty": hanna.person.current_city,
            "nur_sultan": hanna.flight.departure_airport.city,
            "ref": hanna.person.reference,
            "household_id": hanna.person.household_id,
            "flight_id": hanna.flight.pk,
            "transfer_id": 0,  # no transfer: its pages answer 404
            "transfer_seat_id": 0,
            "booking_id": hanna.booking.pk,
            "offer_id": offer_id,
            "member_id": 0,  # not walked (_api_urls)
            "other_ref": "NOSUCHREF",  # a merge with nobody: 404
            "merge_id": 0,
            "duplicate_pair_id": 0,
            "dismissed_pair_id": 0,
            "message_id": 0,
        },
    )
    bodies = {}
    for endpoint in ENDPOINTS:
        url = op_url(hanna.person.operation, endpoint.path.format(**vars(scenario)))
        body = endpoint.body(scenario) if callable(endpoint.body) else endpoint.body
        bodies[(resolve(url).func, endpoint.method)] = body
    return bodies


def test_every_api_answer_that_carries_a_full_record_logs_it_whatever_the_method(
    offer_id, hanna, alice, monkeypatch
):
    # Every address by every method with two bodies: more than one key's rate allows
    # (throttling: tests/api/test_throttling.py).
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "100000/minute"})
    api = token_client(alice)
    bodies = _valid_bodies(hanna, offer_id)
    shown, unlogged = set(), []
    for url in _api_urls(hanna, offer_id):
        view = resolve(url).func
        for method in METHODS:
            # An empty body (PATCH {} changes nothing and answers the record), then a valid one.
            for body in ({}, bodies.get((view, method))):
                if method == "get" and body:
                    continue
                response, logged = _logged_while(getattr(api, method), url, body, format="json")
                text = response.content.decode(errors="replace")
                if response.status_code < 300 and _shows_a_full_record(text):
                    shown.add((method, resolve(url).url_name))
                    if not logged:
                        unlogged.append(f"{method.upper()} {url} {body} shows a full record")

    assert unlogged == []
    assert {
        ("get", "citizen"),
        ("patch", "citizen"),
        ("post", "citizen-status"),
        ("post", "citizens"),
    } <= shown


def test_patching_nothing_still_logs_the_record_it_answers(hanna, carol, bob):
    url = op_url(hanna.person.operation, f"citizens/{hanna.person.reference}/")

    response, logged = _logged_while(token_client(bob).patch, url, {}, format="json")

    assert response.status_code == 200 and response.json()["notes"] == NOTES
    assert logged == 1
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.channel) == (bob, "person_viewed", "api")


# What a list says of each person (people/privacy.py), and what the API's list adds: the
# reference to find them by, and two fields it works out.
LIST_FIELDS = {*privacy.LIST_FIELDS, "reference", "is_vulnerable", "current_city_name"}


@pytest.mark.parametrize("user", ["alice", "carol"])
def test_the_api_list_carries_list_fields_only_and_logs_nothing(request, user, hanna):
    api = token_client(request.getfixturevalue(user))
    url = op_url(hanna.person.operation, "citizens/")

    for query in ({"page_size": 500}, {"q": DOCUMENT}):
        response, logged = _logged_while(api.get, url, query)
        listed = response.json()["results"]

        assert response.status_code == 200 and listed, query
        assert all(set(person) == LIST_FIELDS for person in listed)
        text = json.dumps(listed, ensure_ascii=False)
        for private in [*MARKERS, "+77015550123", "1950-06-01"]:
            assert private not in text, private
        assert logged == 0

"""Every staff page that shows a person's record or a manifest writes one access log row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.audit.models import AccessAction, AccessLogEntry, AccessObjectKind
from evac.audit.services import access_log_record
from evac.core.requests import caller_of
from evac.flights.models import Flight, ManifestExport
from evac.flights.services import booking_create, flight_set_status
from tests.audit.factories import assert_holds_no_personal_data, make_olena
from tests.factories import make_citizen
from tests.people.test_edit_views import as_posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(operation, almaty):
    return make_olena(operation, almaty)


@pytest.fixture
def booked(flight, olena, operation, almaty, alice):
    """Olena and one other passenger on the flight."""
    other = make_citizen(operation, almaty, surname="Hnatiuk", document_number="FH222222")
    for person in (olena, other):
        booking_create(flight=flight, citizen=person, by=alice)
    return [olena, other]


def _person_url(name, person):
    return reverse(name, args=[person.operation.slug, person.reference_code])


def _flight_url(name, flight, **extra):
    return reverse(name, kwargs={"op": flight.operation.slug, "pk": flight.pk, **extra})


def _only_entry() -> AccessLogEntry:
    entries = list(AccessLogEntry.objects.all())
    assert len(entries) == 1, entries
    return entries[0]


def test_a_persons_page_is_logged_with_who_what_and_from_where(client, olena, carol, operation):
    client.force_login(carol)

    response = client.get(_person_url("people:detail", olena), REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200
    entry = _only_entry()
    assert (entry.operation, entry.user, entry.username) == (operation, carol, "carol")
    assert (entry.action, entry.channel) == (AccessAction.PERSON_VIEWED, "web")
    assert (entry.object_kind, entry.object_id) == ("person", olena.pk)
    assert entry.object_label == olena.reference  # "ABCD-EFGH"
    assert entry.ip_address == "203.0.113.7"
    assert_holds_no_personal_data(entry, olena)


def test_opening_a_persons_edit_form_is_logged_and_saving_it_is_not(client, olena, bob):
    client.force_login(bob)
    url = _person_url("people:edit", olena)

    assert client.get(url).status_code == 200
    entry = _only_entry()
    assert (entry.user, entry.action, entry.object_id) == (bob, "person_edit_opened", olena.pk)
    assert entry.ip_address == "127.0.0.1"  # the test client's address
    assert_holds_no_personal_data(entry, olena)

    # A form sent back with errors shows the record again, so it is logged again; a saved
    # one answers with a redirect (the change itself goes into the person's history).
    assert client.post(url, {"notes": "called"}).status_code == 200
    assert AccessLogEntry.objects.count() == 2
    assert client.post(url, as_posted(olena, notes="called")).status_code == 302
    assert AccessLogEntry.objects.count() == 2


FLIGHT_PAGES = [
    ("flights:manifest", {}, AccessAction.MANIFEST_VIEWED),
    ("flights:print", {}, AccessAction.MANIFEST_PRINTED),
    ("flights:export", {"fmt": "csv"}, AccessAction.MANIFEST_EXPORTED_CSV),
    ("flights:export", {"fmt": "xlsx"}, AccessAction.MANIFEST_EXPORTED_XLSX),
]


@pytest.mark.parametrize(("name", "extra", "action"), FLIGHT_PAGES)
def test_each_look_at_a_manifest_is_logged_once(
    client, flight, booked, bob, operation, name, extra, action
):
    client.force_login(bob)

    response = client.get(_flight_url(name, flight, **extra), REMOTE_ADDR="2001:db8::1")

    assert response.status_code == 200
    entry = _only_entry()
    assert (entry.user, entry.username, entry.operation) == (bob, "bob", operation)
    assert (entry.action, entry.channel) == (action, "web")
    assert (entry.object_kind, entry.object_id) == ("flight", flight.pk)
    assert entry.object_label == f"{flight.number} {flight.departs_local.date().isoformat()}"
    assert entry.ip_address == "2001:db8::1"
    assert_holds_no_personal_data(entry, *booked)


def test_an_export_keeps_its_own_record_beside_the_log(client, flight, booked, bob):
    client.force_login(bob)

    client.get(_flight_url("flights:export", flight, fmt="csv"))

    export = ManifestExport.objects.get()
    assert (export.by, export.format, export.rows) == (bob, "csv", 2)
    assert _only_entry().action == AccessAction.MANIFEST_EXPORTED_CSV


def test_opening_boarding_is_logged_and_its_polls_and_searches_add_no_names(
    client, flight, booked, bob, alice
):
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    client.force_login(bob)

    assert (
        client.get(_flight_url("flights:boarding", flight), {"q": "Kovalenko"}).status_code == 200
    )
    entry = _only_entry()
    assert (entry.user, entry.action, entry.object_id) == (bob, "boarding_opened", flight.pk)
    assert_holds_no_personal_data(entry, *booked)  # the search typed is not kept

    # The second tablet's poll carries seat ids and statuses only.
    assert client.get(_flight_url("flights:boarding_counts", flight)).status_code == 200
    assert AccessLogEntry.objects.count() == 1


def test_a_closed_gate_shows_nobody_and_logs_nothing(client, flight, booked, bob):
    client.force_login(bob)

    response = client.get(_flight_url("flights:boarding", flight))

    assert response.status_code == 200
    assert "KOVALENKO" not in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_a_head_request_shows_nothing_and_logs_nothing(client, flight, booked, olena, carol):
    client.force_login(carol)

    assert client.head(_flight_url("flights:manifest", flight)).status_code == 200
    assert client.head(_person_url("people:detail", olena)).status_code == 200

    assert not AccessLogEntry.objects.exists()


def test_lists_are_not_logged(client, flight, booked, carol, operation):
    client.force_login(carol)

    assert client.get(reverse("people:list", args=[operation.slug])).status_code == 200
    assert (
        client.get(reverse("people:list", args=[operation.slug]), {"q": "Koval"}).status_code == 200
    )
    assert client.get(reverse("flights:list", args=[operation.slug])).status_code == 200

    assert not AccessLogEntry.objects.exists()


def test_refusals_log_nothing(client, flight, booked, olena, carol, dave):
    client.force_login(carol)  # a viewer may not edit, nor board, nor take whole documents
    assert client.get(_person_url("people:edit", olena)).status_code == 403
    assert client.get(_flight_url("flights:boarding", flight)).status_code == 403
    assert client.get(_flight_url("flights:export", flight, fmt="csv")).status_code == 403
    client.force_login(dave)  # another operation's coordinator
    assert client.get(_person_url("people:detail", olena)).status_code == 404
    assert client.get(_flight_url("flights:export", flight, fmt="csv")).status_code == 404

    assert not AccessLogEntry.objects.exists()


def test_a_proxys_header_names_the_client_when_configured(client, olena, carol, settings):
    settings.EVAC_CLIENT_IP_HEADER = "X-Forwarded-For"
    client.force_login(carol)

    client.get(
        _person_url("people:detail", olena),
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.44",  # what a client claimed, then the proxy
    )

    assert _only_entry().ip_address == "192.0.2.44"


def test_the_entry_outlives_the_staff_members_account(client, olena, carol):
    client.force_login(carol)
    client.get(_person_url("people:detail", olena))

    carol.delete()

    entry = _only_entry()
    assert (entry.user, entry.username) == (None, "carol")


@pytest.mark.parametrize(
    "url",
    [
        lambda person, flight: _person_url("people:detail", person),
        lambda person, flight: _person_url("people:edit", person),
        *(
            (lambda person, flight, name=name, extra=extra: _flight_url(name, flight, **extra))
            for name, extra, _action in FLIGHT_PAGES
        ),
    ],
)
def test_logging_costs_one_insert_and_nothing_else(client, flight, booked, olena, alice, url):
    client.force_login(alice)
    page = url(olena, flight)
    client.get(page)  # first-request costs

    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200

    touching_the_log = [q["sql"] for q in queries if "audit_accesslogentry" in q["sql"]]
    assert len(touching_the_log) == 1
    assert touching_the_log[0].startswith("INSERT")


def test_an_action_must_fit_its_record(rf, flight, olena, alice):
    request = rf.get("/")
    request.user = alice

    with pytest.raises(ValueError, match="manifest_viewed"):
        access_log_record(
            caller=caller_of(request),
            operation=olena.operation,
            action=AccessAction.MANIFEST_VIEWED,
            kind=AccessObjectKind.PERSON,
            object_id=olena.pk,
            label=olena.reference,
        )
    assert not AccessLogEntry.objects.exists()

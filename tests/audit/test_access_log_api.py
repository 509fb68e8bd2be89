"""The API's views of a person's record and of a manifest are logged like the pages'."""

import pytest

from evac.audit.models import AccessAction, AccessLogEntry
from evac.flights.models import ManifestExport
from evac.flights.services import booking_create
from tests.api.client import op_url, session_client, token_client
from tests.audit.factories import assert_holds_no_personal_data, make_olena

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(operation, almaty, flight, alice):
    person = make_olena(operation, almaty)
    booking_create(flight=flight, citizen=person, by=alice)
    return person


def _only_entry() -> AccessLogEntry:
    entries = list(AccessLogEntry.objects.all())
    assert len(entries) == 1, entries
    return entries[0]


def test_a_persons_record_read_with_a_token_is_logged(olena, carol, operation):
    api = token_client(carol)

    response = api.get(op_url(operation, f"citizens/{olena.reference}/"), REMOTE_ADDR="192.0.2.9")

    assert response.status_code == 200
    assert response.json()["surname"] == "Kovalenko"
    entry = _only_entry()
    assert (entry.operation, entry.user, entry.username) == (operation, carol, "carol")
    assert (entry.action, entry.channel) == (AccessAction.PERSON_VIEWED, "api")
    assert (entry.object_kind, entry.object_id, entry.object_label) == (
        "person",
        olena.pk,
        olena.reference,
    )
    assert entry.ip_address == "192.0.2.9"
    assert_holds_no_personal_data(entry, olena)


def test_a_persons_contact_log_read_is_logged(olena, carol, operation):
    response = token_client(carol).get(op_url(operation, f"citizens/{olena.reference}/contacts/"))

    assert response.status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.channel, entry.object_id) == (
        "person_contacts_viewed",
        "api",
        olena.pk,
    )
    assert entry.ip_address == "127.0.0.1"


FLIGHT_ENDPOINTS = [
    ("bookings/", AccessAction.MANIFEST_VIEWED),
    ("manifest/", AccessAction.MANIFEST_EXPORTED_JSON),
    ("manifest.csv", AccessAction.MANIFEST_EXPORTED_CSV),
]


@pytest.mark.parametrize(("path", "action"), FLIGHT_ENDPOINTS)
def test_a_manifest_read_with_a_token_is_logged(olena, flight, bob, operation, path, action):
    response = token_client(bob).get(op_url(operation, f"flights/{flight.pk}/{path}"))

    assert response.status_code == 200
    assert "Kovalenko".upper() in response.content.decode().upper()
    entry = _only_entry()
    assert (entry.user, entry.action, entry.channel) == (bob, action, "api")
    assert (entry.object_kind, entry.object_id) == ("flight", flight.pk)
    assert entry.object_label.startswith(flight.number)
    assert_holds_no_personal_data(entry, olena)


def test_the_api_csv_is_also_recorded_as_an_export(olena, flight, bob, operation):
    token_client(bob).get(op_url(operation, f"flights/{flight.pk}/manifest.csv"))

    assert (ManifestExport.objects.get().by, _only_entry().channel) == (bob, "api")


def test_a_browser_session_on_the_api_counts_as_the_api(olena, carol, operation):
    response = session_client(carol).get(op_url(operation, f"citizens/{olena.reference}/"))

    assert response.status_code == 200
    assert _only_entry().channel == "api"


def test_refusals_and_lists_log_nothing(olena, flight, carol, dave, operation):
    assert (
        token_client(dave).get(op_url(operation, f"citizens/{olena.reference}/")).status_code == 404
    )
    assert session_client(None).get(
        op_url(operation, f"flights/{flight.pk}/manifest/")
    ).status_code in (
        401,
        403,
    )
    api = token_client(carol)
    assert api.get(op_url(operation, "citizens/"), {"q": "Kovalenko"}).status_code == 200
    assert api.get(op_url(operation, "citizens/NOPE-NOPE/")).status_code == 404

    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("path", ["manifest.csv", "manifest.paxlst"])
def test_a_head_on_a_manifest_file_is_refused_and_makes_no_file(
    olena, flight, bob, operation, path
):
    """HEAD writes no access log, so it must build no file either."""
    response = token_client(bob).head(op_url(operation, f"flights/{flight.pk}/{path}"))

    assert response.status_code == 405
    assert not ManifestExport.objects.exists() and not AccessLogEntry.objects.exists()

"""Walk every staff URL as an anonymous visitor, a viewer, and a member of another operation.

None of them may see our people or change anything that isn't theirs to change. The URLs are
discovered from the URL configuration, so a page added later is covered without editing this
test; the test fails if it finds a pattern it can't fill in.
"""

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from evac.flights.models import Booking, Flight
from evac.flights.services import booking_create
from evac.notifications.models import Notification
from evac.operations.models import Membership, Operation, Role
from evac.people.imports import import_create
from evac.people.models import Citizen, ContactLogEntry, Household
from evac.places.models import Airport, City
from evac.portal.codes import one_time_code_issue
from tests.factories import make_citizen
from tests.flights.factories import make_transfer
from tests.logins import authenticator_for
from tests.url_patterns import ABSENT, shapes, url_of, url_patterns

pytestmark = pytest.mark.django_db

# Plausible form fields, so that a view which forgot its permission check would really act.
PAYLOAD = {
    "status": "decided_to_stay",
    "to": "cancelled",
    "channel": "phone",
    "direction": "outbound",
    "outcome": "reached",
    "note": "crawl",
    "confirm": "1",
    "units": "1",
    "fill": "1",
    "seats_total": "1",
    "number": "XX1",
    "username": "crawler",
    "email": "crawler@mfa.example",
    # An operation as headquarters would open it.
    "name": "Crawl",
    "slug": "crawl",
    "country": "KG",
    "starts_on": "2026-10-05",
    "role": "coordinator",
    # A city and an airport of the places data (Shymkent).
    "geonames_id": "1518980",
    "iata_code": "CIT",
}


# A person's own account pages and the public ones hold no operation's data; the admin is
# for superusers and checks that itself.
ACCOUNT_PAGES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "set_language",
    "healthz",
    # Behind its own token, tested in tests/cockpit/test_metrics.py.
    "metrics",
    "portal_index",
    # Public behind its own token, tested in tests/accounts/test_invitations.py.
    "invitation",
}


def staff_urls(values: dict[str, object]) -> list[str]:
    """Every staff page, filled in from `values` (named as tests/url_patterns.py WHAT says)."""
    urls = []
    for pattern in url_patterns():
        name = pattern.name
        if not name:
            continue
        # The API answers in JSON (401, not a redirect to log in); tests/api/ walks each of
        # its endpoints as every role, another operation's member and nobody
        # (test_api_access_crawl.py: all of them, with every method).
        # The citizen portal is public by design; tests/portal/ checks it shows nobody else.
        # One's own second step (tests/accounts/ walks every URL for it).
        if name.startswith(("admin:", "api:", "portal:", "two_factor:")) or name in ACCOUNT_PAGES:
            continue
        urls.append(url_of(pattern, values))
    return urls


def snapshot() -> dict:
    return {
        "citizens": sorted(Citizen.objects.values_list("pk", "status", "notes")),
        "bookings": sorted(Booking.objects.values_list("pk", "status", "is_active")),
        "flights": sorted(Flight.objects.values_list("pk", "status", "seats_total", "number")),
        "contacts": ContactLogEntry.objects.count(),
        "households": Household.objects.count(),
        "members": sorted(Membership.objects.values_list("pk", "user_id", "operation_id", "role")),
        "airports": sorted(Airport.objects.values_list("pk", "status", "status_note")),
        "cities": sorted(City.objects.values_list("pk", "name", "name_native", "name_ru")),
        "operations": sorted(Operation.objects.values_list("pk", "slug", "status")),
    }


@pytest.fixture
def ours(operation, almaty, flight, alice):
    olena = make_citizen(operation, almaty, surname="Zaporozhets", phone="+77011234567")
    passenger = make_citizen(operation, almaty, surname="Khmelnytska", phone="+77017654321")
    booking = booking_create(flight=flight, citizen=passenger, by=alice)
    people_import = import_create(
        operation=operation, by=alice, file_name="list.csv", content=b"Surname;Name\nKOVAL;OLENA\n"
    )
    train = make_transfer(operation, almaty, flight.departure_airport.city)
    values = {
        "operation_slug": operation.slug,
        "flight_id": flight.pk,
        "transfer_id": train.pk,
        "transfer_seat_id": ABSENT,
        "booking_id": booking.pk,
        "ref": olena.reference_code,
        "export_format": "csv",
        "member_id": alice.memberships.get().pk,
        "airport_iata": flight.departure_airport.iata_code,
        "import_id": people_import.pk,
        "merge_id": ABSENT,
        "duplicate_pair_id": ABSENT,
        "dismissed_pair_id": ABSENT,
        "message_id": Notification.objects.filter(booking=booking).first().pk,
    }
    return staff_urls(values)


def test_the_crawl_reaches_the_staff_pages(ours):
    assert len([u for u in ours if u.startswith("/ops/")]) >= 10


def test_anonymous_visitors_are_sent_to_log_in(client, ours):
    before = snapshot()
    for url in ours:
        for response in (client.get(url), client.post(url, PAYLOAD)):
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), url
    assert snapshot() == before


def test_a_member_of_another_operation_finds_nothing(client, ours, dave):
    client.force_login(dave)
    before = snapshot()
    for url in [u for u in ours if u.startswith("/ops/")]:
        for response in (client.get(url), client.post(url, PAYLOAD)):
            assert response.status_code in (404, 405), url
            assert b"Zaporozhets" not in response.content and b"Khmelnytska" not in response.content
    assert snapshot() == before


def test_a_viewer_reads_but_changes_nothing(client, ours, carol):
    client.force_login(carol)
    before = snapshot()
    readable = 0
    for url in ours:
        get = client.get(url)
        assert get.status_code in (200, 302, 403, 405), url
        readable += get.status_code == 200
        post = client.post(url, PAYLOAD)
        assert post.status_code in (403, 405), f"a viewer's POST to {url} got {post.status_code}"
    assert snapshot() == before
    assert readable >= 5


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_no_staff_page_shows_a_one_time_code(client, operation, ours, who, request):
    """A code on its way to a person's phone is masked in the outbox for every role."""
    olena = Citizen.objects.get(surname="Zaporozhets")
    one_time_code_issue(citizen=olena, channel="sms")
    code = Notification.objects.get(kind=Notification.Kind.ONE_TIME_CODE).secret
    client.force_login(request.getfixturevalue(who))
    for url in ours:
        assert code not in client.get(url).content.decode(errors="replace"), url


def test_an_officer_cancels_no_seat_through_any_page(client, operation, flight, alice, bob):
    # Cancelling a seat is a coordinator's; an officer's "decided to stay" on a booked
    # person is refused (tests/people/test_seat_by_status.py). Every page, every POST,
    # with the booked person's code wherever a page takes one.
    passenger = make_citizen(operation, flight.departure_airport.city, surname="Khmelnytska")
    booking = booking_create(flight=flight, citizen=passenger, by=alice)
    values = {
        "operation_slug": operation.slug,
        "flight_id": flight.pk,
        "transfer_id": 0,  # no transfer: its pages answer 404
        "transfer_seat_id": 0,
        "import_id": ABSENT,
        "merge_id": ABSENT,
        "duplicate_pair_id": ABSENT,
        "dismissed_pair_id": ABSENT,
        "message_id": ABSENT,
        "booking_id": booking.pk,
        "ref": passenger.reference_code,
        "export_format": "csv",
        "member_id": alice.memberships.get().pk,
        "airport_iata": flight.departure_airport.iata_code,
    }
    client.force_login(bob)
    for url in staff_urls(values):
        client.get(url)
        for status in ("decided_to_stay", "left_by_own_means", "unreachable"):
            client.post(url, {**PAYLOAD, "status": status})

    booking.refresh_from_db()
    assert booking.is_active


def test_a_coordinator_resets_no_second_step_guarding_another_operation(
    client, operation, other_operation, bob, dave
):
    # bob works in both operations; dave coordinates only the other. No page of dave's
    # operation, with bob's membership there, resets what guards bob's work in ours.
    there = Membership.objects.create(user=bob, operation=other_operation, role=Role.OFFICER)
    device = authenticator_for(bob)
    values = shapes(operation_slug=other_operation.slug, member_id=there.pk)
    client.force_login(dave)
    for url in staff_urls(values):
        client.post(url, PAYLOAD)

    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_officer_changes_no_member_through_any_page(client, operation, alice, bob):
    # Who works in the operation is the coordinator's: an officer's every page, with
    # alice's membership and then bob's own, adds nobody and changes no role.
    client.force_login(bob)
    before = snapshot()
    for membership in (alice.memberships.get(), bob.memberships.get()):
        values = shapes(operation_slug=operation.slug, member_id=membership.pk)
        for url in staff_urls(values):
            client.post(url, PAYLOAD)
            client.post(url, {**PAYLOAD, "role": "viewer"})

    assert snapshot() == before
    assert not User.objects.filter(username="crawler").exists()


def test_a_coordinator_adds_nobody_to_another_operation_through_any_page(
    client, operation, other_operation, alice, dave
):
    # dave coordinates the other operation: our pages, with alice's membership, are not his.
    client.force_login(dave)
    before = snapshot()
    values = shapes(operation_slug=operation.slug, member_id=alice.memberships.get().pk)
    for url in staff_urls(values):
        # Pages above operations (headquarters' "open an operation") refuse him outright.
        refused = (404, 405) if url.startswith("/ops/") else (403, 405)
        assert client.post(url, PAYLOAD).status_code in refused, url

    assert snapshot() == before
    assert not User.objects.filter(username="crawler").exists()

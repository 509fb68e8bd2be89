"""The access log page: coordinators search it; nobody else in the operation sees it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.audit.models import AccessAction, AccessLogEntry

pytestmark = pytest.mark.django_db

NOON = datetime(2022, 1, 9, 12, 0, tzinfo=UTC)


def _url(operation) -> str:
    return reverse("audit:access_log", args=[operation.slug])


def entry(operation, user, **fields) -> AccessLogEntry:
    fields.setdefault("at", NOON)
    fields.setdefault("action", AccessAction.PERSON_VIEWED)
    fields.setdefault("channel", AccessLogEntry.Channel.WEB)
    fields.setdefault("object_kind", AccessLogEntry.ObjectKind.PERSON)
    fields.setdefault("object_id", 1)
    fields.setdefault("object_label", "ABCD-EFGH")
    fields.setdefault("ip_address", "10.0.0.1")
    return AccessLogEntry.objects.create(
        operation=operation, user=user, username=user.username, **fields
    )


@pytest.fixture
def log(operation, alice, bob, carol):
    """A few days of looking, by three people, at two people and a flight."""
    return {
        "bob_person": entry(operation, bob, at=NOON - timedelta(days=2)),
        "bob_edit": entry(
            operation, bob, action=AccessAction.PERSON_EDIT_OPENED, object_label="ABCD-EFGK"
        ),
        "carol_manifest": entry(
            operation,
            carol,
            at=NOON + timedelta(days=1),
            action=AccessAction.MANIFEST_EXPORTED_CSV,
            object_kind=AccessLogEntry.ObjectKind.FLIGHT,
            object_id=7,
            object_label="PS9004 2022-01-13",
            ip_address="2001:db8::5",
        ),
        "carol_api": entry(
            operation,
            carol,
            at=NOON + timedelta(days=2),
            channel=AccessLogEntry.Channel.API,
            object_label="ZZZZ-YYYY",
            ip_address="192.0.2.10",
        ),
    }


def shown(client, operation, **query) -> list[AccessLogEntry]:
    response = client.get(_url(operation), query)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def names(entries, log) -> set[str]:
    by_pk = {e.pk: name for name, e in log.items()}
    return {by_pk[e.pk] for e in entries}


def test_a_coordinator_sees_the_operations_log_newest_first(
    client, alice, operation, log, dave, other_operation
):
    entry(other_operation, dave, object_label="OTHR-OPER")
    client.force_login(alice)

    entries = shown(client, operation)

    assert [e.pk for e in entries] == [
        log["carol_api"].pk,
        log["carol_manifest"].pk,
        log["bob_edit"].pk,
        log["bob_person"].pk,
    ]
    page = client.get(_url(operation)).content.decode()
    assert "OTHR-OPER" not in page
    assert "2022-01-11 12:00:00" in page  # UTC, as labelled
    assert "Exported a manifest (CSV)" in page and "2001:db8::5" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user": "bob"}, {"bob_person", "bob_edit"}),
        ({"action": "person_edit_opened"}, {"bob_edit"}),
        ({"channel": "api"}, {"carol_api"}),
        ({"date_from": "2022-01-09"}, {"bob_edit", "carol_manifest", "carol_api"}),
        ({"date_to": "2022-01-09"}, {"bob_person", "bob_edit"}),
        ({"date_from": "2022-01-10", "date_to": "2022-01-10"}, {"carol_manifest"}),
        ({"date_to": "9999-12-31"}, {"bob_person", "bob_edit", "carol_manifest", "carol_api"}),
        ({"object": "ABCD-EFGH"}, {"bob_person"}),
        ({"object": "abcdefgh"}, {"bob_person"}),
        ({"object": "ABCD EFG"}, {"bob_person", "bob_edit"}),
        ({"object": "abcd"}, {"bob_person", "bob_edit"}),
        ({"object": "ps9004"}, {"carol_manifest"}),
        ({"object": "PS9004 2022-01-13"}, {"carol_manifest"}),
        ({"object": "PS9005"}, set()),
        ({"ip": "192.0.2.10"}, {"carol_api"}),
        ({"ip": "10.0."}, {"bob_person", "bob_edit"}),
        ({"ip": "2001:DB8:"}, {"carol_manifest"}),
        ({"user": "carol", "channel": "web"}, {"carol_manifest"}),
    ],
)
def test_the_filters_find_what_they_say(client, alice, operation, log, query, expected):
    client.force_login(alice)

    assert names(shown(client, operation, **query), log) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"ip": "10.0.0.1' OR 1=1"},
        {"date_from": "yesterday"},
        {"action": "looked"},
        {"user": "mallory"},
        {"object": "x" * 41},
    ],
)
def test_a_filter_that_cant_be_read_shows_nothing_and_says_why(
    client, alice, operation, log, query
):
    client.force_login(alice)

    response = client.get(_url(operation), query)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "A filter could not be read" in response.content.decode()


def test_the_staff_member_choice_lists_who_is_in_the_log_including_former_staff(
    client, alice, operation, log, carol
):
    carol.delete()
    client.force_login(alice)

    choices = [
        value
        for value, _label in client.get(_url(operation))
        .context["filters"]
        .form.fields["user"]
        .choices
    ]

    assert choices == ["", "bob", "carol"]
    assert len(shown(client, operation, user="carol")) == 2


def test_the_log_pages_by_fifty(client, alice, operation, bob):
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            operation=operation,
            user=bob,
            username="bob",
            at=NOON + timedelta(minutes=n),
            action=AccessAction.MANIFEST_VIEWED,
            channel="web",
            object_kind="flight",
            object_id=n,
            object_label=f"PS{n:04d} 2022-01-13",
        )
        for n in range(60)
    )
    client.force_login(alice)

    first = client.get(_url(operation), {"user": "bob"})
    second = client.get(_url(operation), {"user": "bob", "page": "2"})

    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].object_list[0].object_id == 59
    assert len(second.context["page"].object_list) == 10
    assert "user=bob&amp;page=2" in first.content.decode()  # the filter follows the pages


# Who may see it ---------------------------------------------------------------------


def test_a_coordinator_finds_it_in_the_navigation(client, alice, operation):
    client.force_login(alice)

    page = client.get(reverse("operations:dashboard", args=[operation.slug])).content.decode()

    assert f'href="{_url(operation)}"' in page


@pytest.mark.parametrize("member", ["bob", "carol"])
def test_officers_and_viewers_may_not_see_it_nor_find_a_link(client, operation, member, request):
    client.force_login(request.getfixturevalue(member))

    assert client.get(_url(operation)).status_code == 403
    dashboard = client.get(reverse("operations:dashboard", args=[operation.slug]))
    assert _url(operation) not in dashboard.content.decode()


def test_a_member_of_another_operation_finds_nothing(client, operation, dave, log):
    client.force_login(dave)

    response = client.get(_url(operation))

    assert response.status_code == 404
    assert b"ABCD-EFGH" not in response.content


def test_an_anonymous_visitor_is_sent_to_log_in(client, operation):
    response = client.get(_url(operation))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_only_reads(client, alice, operation, log):
    client.force_login(alice)

    assert client.post(_url(operation)).status_code == 405
    assert AccessLogEntry.objects.count() == len(log)


def test_reading_the_log_is_not_itself_a_view_of_personal_data(client, alice, operation, log):
    client.force_login(alice)

    client.get(_url(operation))

    assert AccessLogEntry.objects.count() == len(log)


# Cost -----------------------------------------------------------------------------------


def _fill(operation, users, count: int) -> None:
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            operation=operation,
            user=users[n % len(users)],
            username=users[n % len(users)].username,
            at=NOON + timedelta(seconds=n),
            action=AccessAction.PERSON_VIEWED,
            channel="web",
            object_kind="person",
            object_id=n,
            object_label=f"AAAA-{n:04d}",
            ip_address=f"10.0.{n // 250}.{n % 250}",
        )
        for n in range(count)
    )


@pytest.mark.parametrize(
    "query", [{}, {"user": "bob", "object": "aaaa", "date_from": "2022-01-01"}]
)
def test_the_page_runs_the_same_queries_for_10_and_100_rows(
    client, alice, bob, carol, operation, query
):
    client.force_login(alice)
    _fill(operation, [bob, carol], 10)
    client.get(_url(operation), query)  # first-request costs
    with CaptureQueriesContext(connection) as ten:
        assert client.get(_url(operation), query).status_code == 200

    _fill(operation, [bob, carol, alice], 90)
    with CaptureQueriesContext(connection) as hundred:
        response = client.get(_url(operation), query)

    assert len(hundred) == len(ten)
    # Bob: every other of the first 10 rows and every third of the next 90.
    assert len(response.context["page"].object_list) == (50 if not query else 5 + 30)

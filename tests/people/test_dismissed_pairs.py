"""Staff say a likely pair is two different people: it leaves the queue, never comes back
however the records change or the operation is scanned again, and the access log says who
judged it; from the page and from the API."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evac.audit.models import AccessLogEntry
from evac.core.requests import Caller
from evac.people.duplicates import pair_dismiss, pair_undismiss, pairs_store
from evac.people.models import DismissedPair, DuplicatePair
from evac.people.services import citizen_update
from tests.factories import make_citizen
from tests.people.test_stored_pairs import stored, yuliia_twice

pytestmark = pytest.mark.django_db


def caller(user, *, api=False):
    return Caller(user=user, method="POST", through_api=api, ip_address="127.0.0.1")


def test_a_dismissed_pair_never_comes_back(operation, almaty, alice):
    first, second = yuliia_twice(operation, almaty)
    pair = DuplicatePair.objects.get()

    dismissed = pair_dismiss(pair=pair, caller=caller(alice))

    assert (dismissed.first_id, dismissed.second_id) == (first.pk, second.pk)
    assert dismissed.dismissed_by == alice
    assert stored() == set()
    # Not when either record changes, nor when the whole operation is scored again.
    citizen_update(citizen=second, by=alice, phone="+77015550000")
    citizen_update(citizen=first, by=alice, phone="+77015550000")
    assert stored() == set()
    assert pairs_store(operation=operation) == 0
    assert stored() == set()


def test_other_pairs_of_the_same_people_are_still_found(operation, almaty, alice):
    first, second = yuliia_twice(operation, almaty)
    pair_dismiss(pair=DuplicatePair.objects.get(), caller=caller(alice))

    third = make_citizen(
        operation, almaty, surname="SHEVCHENKO", given_names="YULIIA",
        date_of_birth=first.date_of_birth,
    )  # fmt: skip

    assert stored() == {(first.pk, third.pk), (second.pk, third.pk)}


def test_dismissing_is_in_the_access_log_of_both_records(operation, almaty, alice):
    first, second = yuliia_twice(operation, almaty)

    pair_dismiss(pair=DuplicatePair.objects.get(), caller=caller(alice))

    logged = set(AccessLogEntry.objects.values_list("action", "object_id", "user"))
    assert logged == {
        ("pair_dismissed", first.pk, alice.pk),
        ("pair_dismissed", second.pk, alice.pk),
    }


def test_an_officer_may_not_dismiss_a_pair(operation, almaty, bob):
    yuliia_twice(operation, almaty)

    with pytest.raises(PermissionDenied):
        pair_dismiss(pair=DuplicatePair.objects.get(), caller=caller(bob))
    assert DuplicatePair.objects.count() == 1 and not DismissedPair.objects.exists()


def test_the_queue_page_dismisses_a_pair(client, operation, almaty, alice, bob):
    first, second = yuliia_twice(operation, almaty)
    pair = DuplicatePair.objects.get()
    queue = reverse("people:duplicates", args=[operation.slug])
    url = reverse("people:duplicate_dismiss", args=[operation.slug, pair.pk])
    client.force_login(bob)
    assert url not in client.get(queue).content.decode()
    assert client.post(url).status_code == 403

    client.force_login(alice)
    assert url in client.get(queue).content.decode()
    response = client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == queue
    assert "Marked as two different people" in response.content.decode()
    assert stored() == set()
    assert DismissedPair.objects.filter(first=first, second=second).exists()


def test_the_api_lists_pairs_and_dismisses_one(operation, almaty, alice, carol):
    from tests.api.client import op_url, token_client

    first, second = yuliia_twice(operation, almaty)
    listed = token_client(carol).get(op_url(operation, "duplicates/"))
    assert listed.status_code == 200, listed.content
    (row,) = listed.json()["results"]
    assert (row["first"], row["second"]) == (first.reference, second.reference)
    url = op_url(operation, f"duplicates/{row['id']}/dismiss/")
    assert token_client(carol).post(url).status_code == 403

    dismissed = token_client(alice).post(url)

    assert dismissed.status_code == 200, dismissed.content
    assert dismissed.json()["first"] == first.reference
    assert token_client(alice).get(op_url(operation, "duplicates/")).json()["results"] == []
    assert token_client(alice).post(url).status_code == 404
    assert set(AccessLogEntry.objects.values_list("channel", flat=True)) == {"api"}


def test_a_pair_dismissed_by_mistake_comes_back_when_the_judgement_is_withdrawn(
    operation, almaty, alice
):
    first, second = yuliia_twice(operation, almaty)
    dismissed = pair_dismiss(pair=DuplicatePair.objects.get(), caller=caller(alice))

    found = pair_undismiss(dismissed=dismissed, caller=caller(alice))

    assert found == 1
    assert stored() == {(first.pk, second.pk)}
    assert not DismissedPair.objects.exists()
    # And the whole operation scored again keeps it.
    assert pairs_store(operation=operation) == 1
    restored = set(
        AccessLogEntry.objects.filter(action="pair_restored").values_list("object_id", "user")
    )
    assert restored == {(first.pk, alice.pk), (second.pk, alice.pk)}


def test_an_officer_may_not_withdraw_a_judgement(operation, almaty, alice, bob):
    yuliia_twice(operation, almaty)
    dismissed = pair_dismiss(pair=DuplicatePair.objects.get(), caller=caller(alice))

    with pytest.raises(PermissionDenied):
        pair_undismiss(dismissed=dismissed, caller=caller(bob))
    assert DismissedPair.objects.count() == 1 and stored() == set()


def test_the_queue_page_lists_judgements_and_withdraws_one(client, operation, almaty, alice, bob):
    first, second = yuliia_twice(operation, almaty)
    dismissed = pair_dismiss(pair=DuplicatePair.objects.get(), caller=caller(alice))
    queue = reverse("people:duplicates", args=[operation.slug])
    url = reverse("people:duplicate_undismiss", args=[operation.slug, dismissed.pk])
    client.force_login(bob)
    page = client.get(queue).content.decode()
    assert first.reference in page and url not in page
    assert client.post(url).status_code == 403

    client.force_login(alice)
    assert url in client.get(queue).content.decode()
    response = client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == queue
    assert "The pair is back among the likely duplicates." in response.content.decode()
    assert stored() == {(first.pk, second.pk)}
    assert client.post(url).status_code == 404


def test_the_api_lists_judgements_and_withdraws_one(operation, almaty, alice, carol):
    from tests.api.client import op_url, token_client

    first, second = yuliia_twice(operation, almaty)
    pair_dismiss(pair=DuplicatePair.objects.get(), caller=caller(alice))
    listed = token_client(carol).get(op_url(operation, "duplicates/dismissed/"))
    assert listed.status_code == 200, listed.content
    (row,) = listed.json()["results"]
    assert (row["first"], row["second"]) == (first.reference, second.reference)
    url = op_url(operation, f"duplicates/dismissed/{row['id']}/undo/")
    assert token_client(carol).post(url).status_code == 403

    answer = token_client(alice).post(url)

    assert answer.status_code == 200, answer.content
    assert answer.json() == {"likely_pairs": 1}
    assert len(token_client(alice).get(op_url(operation, "duplicates/")).json()["results"]) == 1
    assert token_client(alice).post(url).status_code == 404
    assert AccessLogEntry.objects.filter(action="pair_restored", channel="api").count() == 2

"""Likely pairs are stored when people are registered, imported, changed or merged, and the
queue page reads the stored rows instead of scoring the operation on each visit."""

import pytest
from django.urls import reverse

from evac.core.requests import Caller
from evac.people import duplicates
from evac.people.duplicates import pairs_deferred, pairs_store
from evac.people.merges import citizens_merge, merge_undo
from evac.people.models import DuplicatePair
from evac.people.services import citizen_update
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def stored() -> set[tuple[int, int]]:
    return set(DuplicatePair.objects.values_list("first", "second"))


def yuliia_twice(operation, almaty):
    first = make_citizen(operation, almaty, surname="SHEVCHENKO", given_names="YULIIA")
    second = make_citizen(
        operation,
        almaty,
        surname="SHEVCHENKO",
        given_names="IULIIA",
        date_of_birth=first.date_of_birth,
    )
    return first, second


def test_registering_someone_stores_their_likely_pair(operation, almaty):
    first, second = yuliia_twice(operation, almaty)
    make_citizen(operation, almaty, surname="BONDAR", given_names="PETRO")

    assert stored() == {(first.pk, second.pk)}
    pair = DuplicatePair.objects.get()
    assert pair.likelihood >= 0.6 and "after transliteration" in " ".join(pair.reasons)


def test_a_change_of_name_scores_the_record_again(operation, almaty, bob):
    first, second = yuliia_twice(operation, almaty)

    citizen_update(citizen=second, by=bob, surname="BONDARENKO", given_names="PETRO")
    assert stored() == set()

    citizen_update(citizen=second, by=bob, surname="SHEVCHENKO", given_names="YULIA")
    assert stored() == {(first.pk, second.pk)}


def test_the_queue_page_reads_stored_pairs_without_scoring(
    client, operation, almaty, carol, monkeypatch
):
    yuliia_twice(operation, almaty)
    client.force_login(carol)

    def no_scoring(*args, **kwargs):
        raise AssertionError("the queue page scored the operation")

    monkeypatch.setattr(duplicates, "find_pairs", no_scoring)
    page = client.get(reverse("people:duplicates", args=[operation.slug])).content.decode()

    assert "IULIIA" in page and "YULIIA" in page and "after transliteration" in page


def test_a_merge_takes_the_pair_away_and_its_undo_brings_it_back(operation, almaty, alice):
    first, second = yuliia_twice(operation, almaty)
    caller = Caller(user=alice, method="POST", through_api=False, ip_address=None)

    merge = citizens_merge(kept=first, dropped=second, caller=caller)
    assert stored() == set()

    merge_undo(merge=merge, caller=caller)
    assert stored() == {(first.pk, second.pk)}


def test_an_import_scores_its_people_once_at_the_end(operation, almaty):
    with pairs_deferred(operation=operation):
        first, second = yuliia_twice(operation, almaty)
        assert stored() == set()

    assert stored() == {(first.pk, second.pk)}


def test_a_scan_on_demand_finds_what_the_stored_rows_lost(client, operation, almaty, bob, carol):
    first, second = yuliia_twice(operation, almaty)
    DuplicatePair.objects.all().delete()
    client.force_login(carol)
    url = reverse("people:duplicates_scan", args=[operation.slug])
    assert client.post(url).status_code == 403

    client.force_login(bob)
    response = client.post(url)

    assert response.status_code == 302
    assert stored() == {(first.pk, second.pk)}


def test_storing_the_whole_operation_again_keeps_one_row_per_pair(operation, almaty):
    yuliia_twice(operation, almaty)

    assert pairs_store(operation=operation) == 1
    assert pairs_store(operation=operation) == 1
    assert DuplicatePair.objects.count() == 1

"""After a merge, the person's page shows the change history of the record merged into
theirs too, each entry marked with that record's code; undone, each record has its own."""

import pytest
from django.urls import reverse

from evac.people.merges import citizens_merge, merge_undo
from evac.people.selectors import citizen_history
from evac.people.services import citizen_update
from tests.factories import make_citizen
from tests.people.test_merges import caller

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(operation, almaty, alice):
    kept = make_citizen(operation, almaty, surname="SHEVCHENKO", given_names="OLENA")
    other = make_citizen(
        operation, almaty, surname="SHEVCHENKO", given_names="OLENA", surname_native="Шевченко"
    )
    citizen_update(citizen=other, by=alice, temporary_address="Hotel Kazakhstan, room 1205")
    return kept, other


def test_the_merged_person_has_the_history_of_both_records(pair, alice):
    kept, other = pair

    citizens_merge(kept=kept, dropped=other, caller=caller(alice))

    history = citizen_history(kept, withheld=())
    theirs = [entry for entry in history if entry.merged_from == other.reference]
    assert any(entry.created for entry in theirs)
    changed = [change for entry in theirs for change in entry.changes]
    assert [(c.field, c.new) for c in changed] == [
        ("temporary_address", "Hotel Kazakhstan, room 1205")
    ]
    ours = [entry for entry in history if not entry.merged_from]
    assert any(entry.created for entry in ours)
    # Newest first, the two records' entries interleaved by time.
    assert [entry.at for entry in history] == sorted((e.at for e in history), reverse=True)


def test_the_page_shows_the_merged_away_records_changes(client, pair, alice, operation):
    kept, other = pair
    citizens_merge(kept=kept, dropped=other, caller=caller(alice))
    client.force_login(alice)

    page = client.get(reverse("people:detail", args=[operation.slug, kept.reference_code]))

    text = page.content.decode()
    assert f"record {other.reference}, merged into this one" in text
    assert "Hotel Kazakhstan, room 1205" in text


def test_an_undone_merge_gives_each_record_its_own_history_back(pair, alice):
    kept, other = pair
    merge = citizens_merge(kept=kept, dropped=other, caller=caller(alice))

    merge_undo(merge=merge, caller=caller(alice))

    assert not any(entry.merged_from for entry in citizen_history(kept, withheld=()))
    changed = {c.new for e in citizen_history(other, withheld=()) for c in e.changes}
    assert "Hotel Kazakhstan, room 1205" in changed

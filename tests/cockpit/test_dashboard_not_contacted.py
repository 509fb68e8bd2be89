"""People not heard from for more than N days: the count, its link, and who is silent longest."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.people.models import Citizen
from evac.people.services import citizen_set_status
from evac.people.time_counts import kept_for
from tests.factories import make_citizen
from tests.pages import links_to

pytestmark = pytest.mark.django_db

NOW = datetime(2022, 1, 12, 12, 0, tzinfo=UTC)
# The list behind the count shows the same people: those we still owe something.
ACTIVE = "status=waiting&status=booked&status=unreachable"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("evac.core.clock.now", lambda: NOW)


def _person(operation, city, *, registered_days_ago, heard_days_ago=None, status=None, **fields):
    citizen = make_citizen(operation, city, **fields)
    heard = NOW - timedelta(days=heard_days_ago) if heard_days_ago is not None else None
    with kept_for(citizen.pk):  # a write behind saves' back says so, as the services do
        Citizen.objects.filter(pk=citizen.pk).update(
            registered_at=NOW - timedelta(days=registered_days_ago), last_contacted_at=heard
        )
    if status:
        citizen_set_status(citizen=citizen, status=status, by=EVAC)
    return citizen


@pytest.fixture
def people(operation, other_operation, almaty):
    return {
        "never_heard_from": _person(operation, almaty, registered_days_ago=6, surname="Adamenko"),
        "heard_5_days_ago": _person(
            operation, almaty, registered_days_ago=6, heard_days_ago=5, surname="Bilyk"
        ),
        "unreachable": _person(
            operation,
            almaty,
            registered_days_ago=7,
            heard_days_ago=4,
            status=Citizen.Status.UNREACHABLE,
            surname="Chornyi",
        ),
        "heard_2_days_ago": _person(
            operation, almaty, registered_days_ago=6, heard_days_ago=2, surname="Dudko"
        ),
        "registered_today": _person(operation, almaty, registered_days_ago=0, surname="Yarosh"),
        # Old silence, but nobody is waiting for them any more.
        "stays": _person(
            operation,
            almaty,
            registered_days_ago=8,
            status=Citizen.Status.DECIDED_TO_STAY,
            surname="Zhuk",
        ),
        "elsewhere": _person(other_operation, almaty, registered_days_ago=9, surname="Other"),
    }


def _dashboard(client, user, operation, **params):
    client.force_login(user)
    return client.get(reverse("operations:dashboard", args=[operation.slug]), params)


def test_by_default_it_counts_active_people_not_heard_from_for_more_than_3_days(
    client, carol, operation, people
):
    page = _dashboard(client, carol, operation)
    citizens = reverse("people:list", args=[operation.slug])
    assert links_to(page, f"{citizens}?{ACTIVE}&not_contacted_days=3") == ["3 people"]
    assert "Not contacted for more than 3 days" in page.content.decode()


def test_the_number_of_days_comes_from_the_page_and_is_carried_to_the_list(
    client, carol, operation, people
):
    page = _dashboard(client, carol, operation, days="5")
    citizens = reverse("people:list", args=[operation.slug])
    # Only the person never heard from since registering 6 days ago: heard from exactly 5
    # days ago is not *more* than 5 days.
    assert links_to(page, f"{citizens}?{ACTIVE}&not_contacted_days=5") == ["1 person"]
    assert page.context["dashboard"].not_contacted.days == 5


def test_the_default_number_of_days_is_a_setting(client, carol, operation, people, settings):
    settings.EVAC_NOT_CONTACTED_DAYS = 1
    page = _dashboard(client, carol, operation)
    assert page.context["dashboard"].not_contacted.count == 4


def test_a_wrong_number_of_days_is_explained_and_the_default_is_used(
    client, carol, operation, people
):
    page = _dashboard(client, carol, operation, days="-2")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_days_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="-2"' in html  # what was typed stays in the field
    assert page.context["dashboard"].not_contacted.days == 3


def test_the_longest_silent_come_first_and_link_to_their_page(client, carol, operation, people):
    page = _dashboard(client, carol, operation)
    silent = page.context["dashboard"].not_contacted.longest_silent
    assert silent == [people["never_heard_from"], people["heard_5_days_ago"], people["unreachable"]]
    for citizen in silent:
        detail = reverse("people:detail", args=[operation.slug, citizen.reference_code])
        assert links_to(page, detail) == [str(citizen)]


def test_at_most_ten_people_are_listed_but_all_are_counted(client, carol, operation, almaty):
    for days in range(12):
        _person(operation, almaty, registered_days_ago=10 + days)
    page = _dashboard(client, carol, operation)
    silence = page.context["dashboard"].not_contacted
    assert silence.count == 12
    assert len(silence.longest_silent) == 10


def test_a_silent_operation_says_when_anyone_was_last_heard_from(client, carol, operation, almaty):
    _person(operation, almaty, registered_days_ago=30, heard_days_ago=20)
    html = _dashboard(client, carol, operation).content.decode()
    assert "Nobody in this operation has been heard from or registered since 23 December 2021" in (
        html
    )


def test_an_operation_heard_from_recently_has_no_such_note(client, carol, operation, people):
    html = _dashboard(client, carol, operation).content.decode()
    assert "Nobody in this operation has been heard from" not in html

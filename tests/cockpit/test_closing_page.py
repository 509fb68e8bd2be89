"""The page where a coordinator closes an operation and sets when its personal data goes."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.dateformat import format as date_format

from evac.cockpit.tasks import anonymise_due_operations
from evac.core import clock
from evac.flights.closing import operation_close
from evac.operations.models import Operation
from tests.factories import make_citizen
from tests.pages import links_to, text

pytestmark = pytest.mark.django_db

TODAY = clock.today()


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


def day(value: date) -> str:
    return date_format(value, "j F Y")


def page(operation: Operation) -> str:
    return reverse("operations:closing", args=[operation.slug])


@pytest.fixture
def two_people(operation, almaty):
    return [make_citizen(operation, almaty), make_citizen(operation, almaty)]


def test_the_page_says_whose_data_goes_and_when_before_closing(
    client, operation, alice, two_people, today
):
    client.force_login(alice)

    response = client.get(page(operation))

    assert response.status_code == 200
    in_90_days = day(TODAY + timedelta(days=90))
    assert (
        f"The personal data of 2 people in this operation will be anonymised on {in_90_days}"
        in text(response)
    )


def test_closing_needs_the_box_ticked(client, operation, alice, two_people, today):
    client.force_login(alice)

    response = client.post(page(operation), {"action": "close"})

    assert "Tick the box to confirm." in text(response)
    operation.refresh_from_db()
    assert operation.status == Operation.Status.ACTIVE


def test_a_coordinator_closes_the_operation(client, operation, alice, two_people, today):
    client.force_login(alice)

    response = client.post(page(operation), {"action": "close", "confirm": "on"}, follow=True)

    operation.refresh_from_db()
    assert operation.status == Operation.Status.CLOSED
    assert operation.anonymise_on == TODAY + timedelta(days=90)
    words = text(response)
    assert "The operation is closed." in words
    assert (
        f"The personal data of 2 people will be anonymised on {day(operation.anonymise_on)}."
        in words
    )


def test_with_a_flight_ahead_the_page_says_why_it_can_not_close(
    client, operation, alice, flight, today
):
    client.force_login(alice)

    get = client.get(page(operation))
    post = client.post(page(operation), {"action": "close", "confirm": "on"}, follow=True)

    assert "1 flight is still planned, open or boarding" in text(get)
    assert 'value="close"' not in get.content.decode()  # no form to close it
    assert "1 flight is still planned, open or boarding" in text(post)
    operation.refresh_from_db()
    assert operation.status == Operation.Status.ACTIVE


def test_the_date_moves(client, operation, alice, today):
    operation_close(operation=operation, by=alice)
    client.force_login(alice)
    later = TODAY + timedelta(days=200)

    response = client.post(
        page(operation), {"action": "schedule", "on": later.isoformat()}, follow=True
    )

    operation.refresh_from_db()
    assert operation.anonymise_on == later
    assert f"will be anonymised on {day(later)}" in text(response)


def test_a_date_in_the_past_is_refused_beside_the_field(client, operation, alice, today):
    operation_close(operation=operation, by=alice)
    client.force_login(alice)

    response = client.post(
        page(operation), {"action": "schedule", "on": (TODAY - timedelta(days=1)).isoformat()}
    )

    assert response.status_code == 200
    assert "The date can't be in the past." in text(response)
    operation.refresh_from_db()
    assert operation.anonymise_on == TODAY + timedelta(days=90)


def test_a_mistyped_date_is_refused_not_a_500(client, operation, alice, today):
    operation_close(operation=operation, by=alice)
    client.force_login(alice)

    response = client.post(page(operation), {"action": "schedule", "on": "31.02.2027"})

    assert response.status_code == 200
    assert "Enter a valid date." in text(response)


def test_a_coordinator_reopens_the_operation(client, operation, alice, today):
    operation_close(operation=operation, by=alice)
    client.force_login(alice)

    client.post(page(operation), {"action": "reopen"})

    operation.refresh_from_db()
    assert operation.status == Operation.Status.ACTIVE and operation.anonymise_on is None


def test_on_the_day_itself_nothing_can_be_changed(client, operation, alice, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    operation_close(operation=operation, by=alice, retain_days=0)
    client.force_login(alice)

    get = client.get(page(operation))
    post = client.post(page(operation), {"action": "reopen"}, follow=True)

    assert "the date can no longer be changed" in text(get)
    assert "Reopen the operation" not in text(get)
    assert "due today" in text(post)
    operation.refresh_from_db()
    assert operation.is_closed


def test_after_it_ran_the_page_says_when(client, operation, alice, two_people, today):
    operation_close(operation=operation, by=alice, retain_days=0)
    anonymise_due_operations()
    operation.refresh_from_db()
    client.force_login(alice)

    words = text(client.get(page(operation)))

    moment = date_format(operation.anonymised_at, "j F Y, H:i")
    assert f"Its personal data was anonymised on {moment} UTC." in words
    assert "Change the date" not in words


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_officers_and_viewers_may_not_open_it(request, client, operation, who, today):
    client.force_login(request.getfixturevalue(who))

    assert client.get(page(operation)).status_code == 403
    assert client.post(page(operation), {"action": "close", "confirm": "on"}).status_code == 403
    operation.refresh_from_db()
    assert operation.status == Operation.Status.ACTIVE


def test_another_operations_coordinator_finds_nothing(client, operation, dave, today):
    client.force_login(dave)

    assert client.get(page(operation)).status_code == 404
    assert client.post(page(operation), {"action": "close", "confirm": "on"}).status_code == 404


def test_the_dashboard_links_to_it_for_coordinators_only(client, operation, alice, bob):
    dashboard = reverse("operations:dashboard", args=[operation.slug])

    client.force_login(alice)
    assert links_to(client.get(dashboard), page(operation)) == ["Close the operation"]
    client.force_login(bob)
    assert links_to(client.get(dashboard), page(operation)) == []


def test_the_dashboard_of_a_closed_operation_says_when_its_data_goes(
    client, operation, alice, carol, today
):
    operation_close(operation=operation, by=alice)
    client.force_login(carol)

    words = text(client.get(reverse("operations:dashboard", args=[operation.slug])))

    assert "This operation is closed." in words
    assert f"Its personal data will be anonymised on {day(operation.anonymise_on)}." in words

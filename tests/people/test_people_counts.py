"""The operation's maintained counts (people.counts) are always what a plain count of its
people says, after every kind of change that moves them, and the pages read them."""

from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command

from evac.core.actor import EVAC
from evac.core.clock import now, today
from evac.core.requests import Caller
from evac.flights.models import Flight
from evac.flights.selectors import waiting_totals
from evac.flights.services import booking_cancel, booking_create, flight_set_status
from evac.people.merges import citizens_merge
from evac.people.models import Citizen, Household, PeopleCount, years_before
from evac.people.queue import refresh_birthdays
from evac.people.selectors import people_counts
from evac.people.services import (
    citizen_confirm_needs,
    citizen_saved_in_admin,
    citizen_set_status,
    citizen_update,
    household_register,
)
from tests.factories import make_citizen, make_citizens_in_bulk, make_flight

pytestmark = pytest.mark.django_db


def counted(operation) -> tuple[Counter, Counter, Counter, tuple[int, int]]:
    """By status; waiting by city; waiting vulnerable by city; the waiting list's units and
    people: as the pages read them from the maintained counts."""
    people = people_counts(operation)
    by_status = Counter({s: n for s, n in people.by_status.items() if n})
    waiting = Counter({row.city_id: row.waiting for row in people.waiting_by_city})
    vulnerable = Counter({row.city_id: row.vulnerable for row in people.waiting_by_city})
    totals = waiting_totals(operation)
    return by_status, +waiting, +vulnerable, (totals.units, totals.people)


def plain_count(operation, day: date | None = None) -> tuple[Counter, Counter, Counter, tuple]:
    """The same, counted person by person in Python."""
    day = day or today()
    people = list(operation.citizens.all())
    waiting = [p for p in people if p.status == Citizen.Status.WAITING]
    urgent = ("medical_need", "reduced_mobility", "pregnant")
    vulnerable = [
        p
        for p in waiting
        if any(getattr(p, need) for need in urgent)
        or not settings.EVAC_MINOR_UNDER_AGE <= p.age_on(day) < settings.EVAC_ELDERLY_FROM_AGE
    ]
    units = {p.household_id or f"alone {p.pk}" for p in waiting}
    return (
        Counter(p.status for p in people),
        Counter(p.current_city_id for p in waiting),
        Counter(p.current_city_id for p in vulnerable),
        (len(units), len(waiting)),
    )


def assert_counts_are_right(operation, day: date | None = None) -> None:
    assert counted(operation) == plain_count(operation, day)


def _member(name: str, born: date, city, **fields) -> dict:
    return {
        "surname": "Bondarenko",
        "given_names": name,
        "date_of_birth": born,
        "sex": Citizen.Sex.MALE,
        "nationality": "UA",
        "document_type": Citizen.DocumentType.PASSPORT,
        "document_number": f"PC{abs(hash(name)) % 10**6:06d}",
        "current_city": city,
        **fields,
    }


def test_the_counts_follow_every_change_that_moves_them(
    operation, other_operation, almaty, nur_sultan, nqz, kbp, alice
):
    flight = make_flight(operation, nqz, kbp, departs_at=now() + timedelta(hours=1))
    elsewhere = make_citizen(other_operation, almaty)  # another operation's, never counted here
    adult = make_citizen(operation, almaty, date_of_birth=date(1985, 3, 14))
    child = make_citizen(operation, nur_sultan, date_of_birth=years_before(today(), 5))
    family = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            _member("Taras", date(1980, 2, 1), almaty),
            _member("Iryna", date(1982, 6, 12), nur_sultan),
            _member("Marko", years_before(today(), 40), almaty),
        ],
    )
    taras, iryna, marko = family.members.order_by("pk")
    claimed = make_citizen(
        operation, almaty, medical_need=True, source=Citizen.Source.SELF_REGISTRATION
    )
    assert_counts_are_right(operation)
    assert counted(operation)[3] == (4, 6)

    # Moving city, needs, dates of birth, a confirmed claim.
    citizen_update(citizen=adult, by=alice, current_city=nur_sultan)
    assert_counts_are_right(operation)
    citizen_update(citizen=iryna, by=alice, medical_need=True)
    assert_counts_are_right(operation)
    citizen_update(citizen=marko, by=alice, date_of_birth=years_before(today(), 70))
    assert_counts_are_right(operation)
    citizen_confirm_needs(citizen=claimed, by=alice)
    assert_counts_are_right(operation)

    # Seats, taken and given back, and decisions.
    seat = booking_create(flight=flight, citizen=taras, by=alice)
    assert_counts_are_right(operation)
    booking_cancel(booking=seat, by=alice)
    assert_counts_are_right(operation)
    booking_create(flight=flight, citizen=adult, by=alice)
    assert_counts_are_right(operation)
    citizen_set_status(citizen=marko, status=Citizen.Status.DECIDED_TO_STAY, by=alice)
    assert_counts_are_right(operation)
    citizen_set_status(citizen=marko, status=Citizen.Status.WAITING, by=alice)
    assert_counts_are_right(operation)

    # Joining and leaving a household.
    claimed.refresh_from_db()
    claimed.household = family
    citizen_saved_in_admin(citizen=claimed, save=claimed.save)
    assert_counts_are_right(operation)
    assert counted(operation)[3] == (2, 5)  # the adult holds a seat
    claimed.household = None
    citizen_saved_in_admin(citizen=claimed, save=claimed.save)
    assert_counts_are_right(operation)

    # The flight leaves with its passenger.
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    booking = adult.bookings.get(is_active=True)
    booking.status = booking.Status.BOARDED
    booking.save(update_fields=["status"])
    flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=alice)
    assert_counts_are_right(operation)
    assert counted(operation)[0][Citizen.Status.EVACUATED] == 1

    # A merge drops one record.
    twin = make_citizen(operation, almaty, surname=child.surname, date_of_birth=child.date_of_birth)
    assert_counts_are_right(operation)
    citizens_merge(
        kept=child,
        dropped=twin,
        caller=Caller(user=alice, method="POST", through_api=False, ip_address="127.0.0.1"),
    )
    assert_counts_are_right(operation)

    # Deleting a person, then the household.
    taras.bookings.all().delete()
    Citizen.objects.get(pk=taras.pk).delete()
    assert_counts_are_right(operation)
    Household.objects.get(pk=family.pk).delete()
    assert_counts_are_right(operation)
    assert counted(other_operation)[0] == Counter({Citizen.Status.WAITING: 1})
    assert elsewhere.pk


def test_birthdays_move_the_vulnerable_with_the_waiting_list(operation, almaty, pin_clock):
    tomorrow = today() + timedelta(days=1)
    make_citizen(
        operation, almaty, date_of_birth=years_before(tomorrow, settings.EVAC_MINOR_UNDER_AGE)
    )
    make_citizen(
        operation, almaty, date_of_birth=years_before(tomorrow, settings.EVAC_ELDERLY_FROM_AGE)
    )
    make_citizen(operation, almaty, date_of_birth=date(1990, 5, 5))
    assert_counts_are_right(operation)
    assert counted(operation)[2] == Counter({almaty.pk: 1})  # the minor

    pin_clock(datetime.combine(tomorrow, time(0, 5), tzinfo=now().tzinfo))
    refresh_birthdays()
    assert_counts_are_right(operation, tomorrow)
    assert counted(operation)[2] == Counter({almaty.pk: 1})  # now the elderly one


def test_a_bulk_load_is_counted_by_a_rebuild_or_the_command(operation, almaty, nur_sultan):
    make_citizens_in_bulk(operation, almaty, 5)  # rebuilds, as every bulk load must
    assert_counts_are_right(operation)
    Citizen.objects.filter(pk__in=operation.citizens.values("pk")[:2]).update(
        current_city=nur_sultan, status=Citizen.Status.UNREACHABLE
    )  # behind the counts' back
    assert counted(operation) != plain_count(operation)
    call_command("recount_people", operation.slug, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_counts_are_right(operation)


def test_people_booked_in_one_city_add_to_several_rows(operation, almaty):
    # Spread by pk, so concurrent writers in one city seldom wait on one row.
    for _ in range(16):
        make_citizen(operation, almaty)
    rows = PeopleCount.objects.filter(operation=operation, status=Citizen.Status.WAITING)
    assert rows.count() > 1
    assert sum(rows.values_list("people", flat=True)) == 16


def test_the_registry_filtered_by_status_and_city_totals_from_the_counts(
    client, operation, almaty, nur_sultan, alice
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    for city in [almaty, almaty, almaty, almaty, nur_sultan]:
        make_citizen(operation, city)
    gone = operation.citizens.filter(current_city=almaty).first()
    citizen_set_status(citizen=gone, status=Citizen.Status.UNREACHABLE, by=alice)
    client.force_login(alice)
    url = reverse("people:list", args=[operation.slug])

    totals = {}
    for query in [f"status=waiting&city={almaty.pk}", "status=waiting", f"city={almaty.pk}"]:
        with CaptureQueriesContext(connection) as read:
            page = client.get(f"{url}?{query}&sort=name").context["page"]
        totals[query] = page.paginator.count
        assert not [q for q in read if "COUNT(*)" in q["sql"] and "people_citizen" in q["sql"]]

    assert list(totals.values()) == [3, 4, 4]
    searched = client.get(f"{url}?status=waiting&q=Koval").context["page"]  # counted as before
    assert searched.paginator.count == 4

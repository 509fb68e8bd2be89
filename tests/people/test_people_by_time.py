"""The operation's people over time (people.time_counts) are always what a plain count of its
people says, after every kind of change that moves them, and the dashboard reads them."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.core.requests import Caller
from evac.flights.services import booking_create
from evac.people.anonymise import citizens_anonymise
from evac.people.merges import citizens_merge, merge_undo
from evac.people.models import Citizen, ContactLogEntry, Household, PeopleByTime
from evac.people.selectors import heard_from_before
from evac.people.services import (
    citizen_saved_in_admin,
    citizen_set_status,
    citizen_update,
    contact_log_add,
    household_register,
)
from evac.people.time_counts import (
    HEARD,
    REGISTERED,
    heard_from_before_counted,
    kept_for,
    registered_by_day,
    slot_of,
)
from tests.factories import make_citizen, make_citizens_in_bulk, make_flight

pytestmark = pytest.mark.django_db

ACTIVE = (Citizen.Status.WAITING, Citizen.Status.BOOKED, Citizen.Status.UNREACHABLE)
# Zones a day is read in: whole hours either side of UTC, and a quarter-hour offset.
ZONES = [UTC, ZoneInfo("Asia/Almaty"), ZoneInfo("Asia/Kathmandu"), ZoneInfo("America/Denver")]


def kept(operation) -> Counter:
    """The kept rows, their shards added up, empty ones left out."""
    rows = Counter()
    for kind, status, slot, people in PeopleByTime.objects.filter(operation=operation).values_list(
        "kind", "status", "slot", "people"
    ):
        rows[(kind, status, slot)] += people
    return +rows


def plain(operation) -> Counter:
    """The same, person by person in Python."""
    rows = Counter()
    for person in operation.citizens.all():
        heard = person.last_contacted_at or person.registered_at
        rows[(REGISTERED, "", slot_of(person.registered_at))] += 1
        rows[(HEARD, person.status, slot_of(heard))] += 1
    return rows


def assert_kept_is_right(operation) -> None:
    assert kept(operation) == plain(operation)
    people = list(operation.citizens.all())
    for zone in ZONES:
        by_day = Counter(p.registered_at.astimezone(zone).date() for p in people)
        assert registered_by_day(operation.pk, zone=zone) == dict(by_day)
    for cutoff in _cutoffs(people):
        silent = operation.citizens.filter(heard_from_before(cutoff), status__in=ACTIVE)
        counted = heard_from_before_counted(operation.pk, statuses=ACTIVE, cutoff=cutoff)
        assert counted == silent.count(), cutoff


def _cutoffs(people: list[Citizen]) -> list[datetime]:
    """Around each person's last heard: just before, at, just after, and a slot later."""
    moments = set()
    for person in people:
        heard = person.last_contacted_at or person.registered_at
        for shift in (timedelta(0), timedelta(microseconds=1), timedelta(minutes=15)):
            moments |= {heard - shift, heard + shift}
    return sorted(moments)


def _caller(user) -> Caller:
    return Caller(user=user, method="POST", through_api=False, ip_address="127.0.0.1")


def _member(name: str, city, **fields) -> dict:
    return {
        "surname": "Bondarenko",
        "given_names": name,
        "date_of_birth": date(1980, 2, 1),
        "sex": Citizen.Sex.MALE,
        "nationality": "UA",
        "document_type": Citizen.DocumentType.PASSPORT,
        "document_number": f"PT{abs(hash(name)) % 10**6:06d}",
        "current_city": city,
        **fields,
    }


def test_the_kept_counts_follow_every_change_that_moves_them(
    operation, other_operation, almaty, nur_sultan, nqz, kbp, alice
):
    early = datetime(2022, 1, 5, 18, 50, tzinfo=UTC)  # a local day apart in Almaty and UTC
    elsewhere = make_citizen(other_operation, almaty)  # another operation's, never counted here
    adult = make_citizen(operation, almaty, registered_at=early)
    other = make_citizen(operation, nur_sultan, registered_at=early + timedelta(minutes=20))
    family = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[_member("Taras", almaty), _member("Iryna", nur_sultan)],
    )
    taras, iryna = family.members.order_by("pk")
    assert_kept_is_right(operation)

    # Heard from, not heard from, and an older call logged late.
    for outcome in (ContactLogEntry.Outcome.REACHED, ContactLogEntry.Outcome.NO_ANSWER):
        contact_log_add(
            citizen=adult,
            channel=ContactLogEntry.Channel.PHONE,
            direction=ContactLogEntry.Direction.OUTBOUND,
            outcome=outcome,
            by=alice,
        )
        assert_kept_is_right(operation)
    contact_log_add(
        citizen=adult,
        channel=ContactLogEntry.Channel.PHONE,
        direction=ContactLogEntry.Direction.INBOUND,
        outcome=ContactLogEntry.Outcome.REACHED,
        by=alice,
        at=now() - timedelta(days=1),
    )
    assert_kept_is_right(operation)

    # Statuses, an edit that moves nothing, a seat.
    citizen_set_status(citizen=other, status=Citizen.Status.UNREACHABLE, by=alice)
    assert_kept_is_right(operation)
    citizen_update(citizen=other, by=alice, current_city=almaty)
    assert_kept_is_right(operation)
    flight = make_flight(operation, nqz, kbp, departs_at=now() + timedelta(hours=5))
    booking_create(flight=flight, citizen=iryna, by=alice)
    assert_kept_is_right(operation)

    # Moved to another operation in the admin, and back.
    other.refresh_from_db()
    other.operation = other_operation
    citizen_saved_in_admin(citizen=other, save=other.save)
    assert_kept_is_right(operation)
    assert_kept_is_right(other_operation)
    other.operation = operation
    citizen_saved_in_admin(citizen=other, save=other.save)
    assert_kept_is_right(operation)

    # A merge keeps the earlier registration and the later contact; its undo puts both back.
    twin = make_citizen(operation, almaty, surname=adult.surname, registered_at=early)
    adult.refresh_from_db()
    merge = citizens_merge(kept=twin, dropped=adult, caller=_caller(alice))
    assert_kept_is_right(operation)
    merge_undo(merge=merge, caller=_caller(alice))
    assert_kept_is_right(operation)

    # Deleting a person, then the household.
    Citizen.objects.get(pk=taras.pk).delete()
    assert_kept_is_right(operation)
    iryna.bookings.all().delete()
    Household.objects.get(pk=family.pk).delete()
    assert_kept_is_right(operation)
    assert_kept_is_right(other_operation)
    assert elsewhere.pk


def test_anonymising_and_bulk_loads_are_recounted(operation, almaty, nur_sultan):
    make_citizens_in_bulk(operation, almaty, 5)  # rebuilds, as every bulk load must
    assert_kept_is_right(operation)
    Citizen.objects.filter(pk__in=operation.citizens.values("pk")[:2]).update(
        registered_at=datetime(2022, 1, 6, 3, 0, tzinfo=UTC), status=Citizen.Status.UNREACHABLE
    )  # behind the counts' back
    assert kept(operation) != plain(operation)
    call_command("recount_people", operation.slug, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_kept_is_right(operation)
    citizens_anonymise(operation)
    assert_kept_is_right(operation)


def test_a_write_that_bypasses_saves_is_kept_when_it_says_so(operation, almaty):
    person = make_citizen(operation, almaty)
    with kept_for(person.pk):
        Citizen.objects.filter(pk=person.pk).update(
            last_contacted_at=datetime(2022, 1, 7, 23, 59, 59, 999999, tzinfo=UTC)
        )
    assert_kept_is_right(operation)


def test_deleting_the_operation_forgets_its_counts(operation, almaty):
    make_citizen(operation, almaty)
    assert PeopleByTime.objects.filter(operation=operation).exists()
    operation.citizens.all().delete()
    operation.delete()
    assert not PeopleByTime.objects.filter(operation_id=operation.pk).exists()


def test_people_registered_at_once_add_to_several_rows(operation, almaty):
    # Spread by pk, so concurrent registrations in one quarter hour seldom wait on one row.
    for _ in range(16):
        make_citizen(operation, almaty)
    rows = PeopleByTime.objects.filter(operation=operation, kind=REGISTERED)
    assert rows.values("shard").distinct().count() > 1
    assert sum(rows.values_list("people", flat=True)) == 16

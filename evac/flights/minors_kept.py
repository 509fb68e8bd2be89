"""The children left without an adult of their household, kept as stored rows (MinorAlone).

`flights.minors.household_minors_alone` is the rule. Checking every household with a child on
each page view read a tenth of the operation (2 s of SQL and more of Python at a million
people), so the rule's answer is stored, a row per minor, and rewritten for the households
a write can change, in the writer's transaction:
- a person saved with a new status, household, date of birth or operation, or deleted: the
  households they leave and join (a signal, so no write path can forget it);
- people registered in bulk (an import's batch, people.bulk_register.registered_in_bulk):
  their new households;
- a seat made, cancelled, moved or given a coordinator's reason (Booking saves and
  deletes), and seats moved in bulk by a merge or its undo (flights.merges);
- a flight's departure moved (date or airport): its passengers' households, since a minor is
  judged on the day of travel;
- each day, with the waiting list's birthday refresh: households of waiting people who came
  of age since (a waiting minor is judged on today's date);
- `rebuild` for a whole operation, after bulk loads: people.queue.rebuild and the
  `recount_people` command send `people.counts.recounted` (demo, benchmarks, anonymisation).

A household's rows are compared with the rule's answer and only the difference is written,
so the usual save (nothing changed for the children) costs reads only. Two writers changing
one household at the same moment may each compute from what it sees; the next write to that
household, or a rebuild, puts it right (the booking services check the rule itself, so a
seat never depends on these rows).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.signals import post_delete, post_save, pre_save

from evac.core.clock import today
from evac.flights.minors import (
    STILL_TRAVELLING,
    HouseholdAlone,
    household_minors_alone,
    minor_overrides,
)
from evac.flights.models import Booking, Flight, MinorAlone
from evac.operations.models import Operation
from evac.people import bulk_register, counts, queue
from evac.people.models import Citizen, Household, years_before
from evac.places.models import City

# What a person's save must change to change their household's warnings.
CITIZEN_INPUTS = frozenset({"status", "household", "date_of_birth", "operation"})
# What a seat's save must change (its flight, whether it is held, the coordinator's reason).
BOOKING_INPUTS = frozenset({"flight", "citizen", "is_active", "unaccompanied_reason"})
# What a flight's save must change: the day of travel, in the departure's time zone.
FLIGHT_INPUTS = frozenset({"departs_at", "departure_airport"})
# Households checked at once by a rebuild.
REBUILD_CHUNK = 2000


def _born_after(day: date) -> date:
    # Who can be a minor on a day of travel not long from now (the rule narrows it).
    return years_before(day, settings.EVAC_MINOR_UNDER_AGE + 1)


def candidates(households: QuerySet[Household], day: date) -> QuerySet[Household]:
    """The households among `households` with someone still travelling young enough to be
    a minor: only they can leave a child alone."""
    return households.filter(
        members__status__in=STILL_TRAVELLING, members__date_of_birth__gt=_born_after(day)
    ).distinct()


def minors_alone_from_scratch(household_ids: Iterable[int]) -> dict[int, list[Citizen]]:
    """The rule applied to these households now: their minors alone, by household. Three
    queries whatever the number of households."""
    ids = sorted(set(household_ids))
    if not ids:
        return {}
    members = Citizen.objects.filter(household_id__in=ids).order_by("household_id", "pk")
    by_household: dict[int, list[Citizen]] = {}
    for member in members:
        by_household.setdefault(member.household_id, []).append(member)
    seats = {
        b.citizen_id: b
        for b in Booking.objects.filter(
            is_active=True, citizen__household_id__in=ids
        ).select_related("flight__departure_airport__city")
    }
    found = {}
    for household_id, group in by_household.items():
        alone = household_minors_alone(group, seats=seats)
        if alone:
            found[household_id] = alone
    return found


def refresh(household_ids: Iterable[int | None]) -> None:
    """Rewrite the stored rows of these households from the rule, writing only what changed."""
    ids = sorted({pk for pk in household_ids if pk is not None})
    if not ids:
        return
    young = candidates(Household.objects.filter(pk__in=ids), today()).values_list("pk", flat=True)
    found = minors_alone_from_scratch(young)
    wanted = {(m.household_id, m.pk): m.operation_id for group in found.values() for m in group}
    stored = set(
        MinorAlone.objects.filter(household_id__in=ids).values_list("household_id", "citizen_id")
    )
    gone = [citizen for household, citizen in stored - wanted.keys()]
    if gone:
        MinorAlone.objects.filter(citizen_id__in=gone).delete()
    new = sorted(wanted.keys() - stored)
    if new:
        MinorAlone.objects.bulk_create(
            [
                MinorAlone(operation_id=wanted[key], household_id=key[0], citizen_id=key[1])
                for key in new
            ],
            ignore_conflicts=True,  # a concurrent writer stored the same row first
        )


def refresh_citizens(citizen_ids: Iterable[int]) -> None:
    """Rewrite the rows of these people's households."""
    ids = list(citizen_ids)
    if ids:
        refresh(
            Citizen.objects.filter(pk__in=ids, household__isnull=False).values_list(
                "household_id", flat=True
            )
        )


def rebuild(operation_id: int) -> None:
    """Write an operation's rows from scratch (after bulk loads), a chunk of households at a
    time."""
    households = candidates(Household.objects.filter(operation_id=operation_id), today())
    ids = sorted(households.values_list("pk", flat=True))
    with transaction.atomic():
        MinorAlone.objects.filter(operation_id=operation_id).delete()
        for start in range(0, len(ids), REBUILD_CHUNK):
            found = minors_alone_from_scratch(ids[start : start + REBUILD_CHUNK])
            MinorAlone.objects.bulk_create(
                [
                    MinorAlone(
                        operation_id=minor.operation_id, household_id=household, citizen_id=minor.pk
                    )
                    for household, minors in found.items()
                    for minor in minors
                ],
                batch_size=REBUILD_CHUNK,
            )


def refresh_birthdays(day: date) -> None:
    """The households of waiting people who came of age in the days the waiting list's
    refresh looks back over (a waiting minor is judged on today's date)."""
    since = day - timedelta(days=queue.BIRTHDAYS_LOOKED_BACK)
    years = settings.EVAC_MINOR_UNDER_AGE
    refresh(
        Citizen.objects.filter(
            status=Citizen.Status.WAITING,
            household__isnull=False,
            date_of_birth__gt=years_before(since, years),
            date_of_birth__lte=years_before(day, years),
        ).values_list("household_id", flat=True)
    )


# Read by the pages ----------------------------------------------------------------------


def _stored(operation: Operation, city: City | None) -> QuerySet[MinorAlone]:
    rows = MinorAlone.objects.filter(operation=operation)
    if city is not None:
        # Only households with someone there (as the waiting list is filtered).
        there = Citizen.objects.filter(household_id=OuterRef("household_id"), current_city=city)
        rows = rows.filter(Exists(there))
    return rows


def households_alone_count(operation: Operation, *, city: City | None = None) -> int:
    """How many households have minors left without an adult. One query on the stored rows."""
    return _stored(operation, city).aggregate(n=Count("household_id", distinct=True))["n"]


def households_with_minors_alone(
    operation: Operation, *, city: City | None = None, limit: int | None = None
) -> list[HouseholdAlone]:
    """The households with minors left without an adult (the first `limit` of them by
    household, or all), each with those minors, from the stored rows."""
    rows = _stored(operation, city)
    if limit is not None:
        first = rows.values("household_id").distinct().order_by("household_id")[:limit]
        rows = rows.filter(household_id__in=list(first.values_list("household_id", flat=True)))
    found: dict[int, HouseholdAlone] = {}
    for row in rows.select_related("citizen", "household__head").order_by("household_id", "pk"):
        if row.household_id not in found:
            found[row.household_id] = HouseholdAlone(household=row.household, minors=[])
        found[row.household_id].minors.append(row.citizen)
    for household in found.values():
        household.minors.sort(key=lambda minor: minor.pk)
    return list(found.values())


@dataclass(frozen=True)
class MinorWarnings:
    """The dashboard's counts: households whose minors have no adult to travel with, and
    the seats a coordinator gave a minor without one (with a reason)."""

    households_alone: int
    overrides: int


def minor_warnings(operation: Operation) -> MinorWarnings:
    return MinorWarnings(
        households_alone=households_alone_count(operation),
        overrides=minor_overrides(operation).count(),
    )


# Kept on every write --------------------------------------------------------------------


def _citizen_before(sender, instance: Citizen, update_fields=None, raw=False, **kwargs) -> None:
    # The household the person had when read (people.queue remembers it on load).
    instance._minors_left = getattr(instance, "_queue_household", None)


def _moves(update_fields, raw: bool, inputs: frozenset[str]) -> bool:
    if raw:
        return False  # fixtures: rebuild after loading
    return update_fields is None or bool(inputs & set(update_fields))


def _citizen_saved(sender, instance: Citizen, update_fields=None, raw=False, **kwargs) -> None:
    if _moves(update_fields, raw, CITIZEN_INPUTS):
        refresh([getattr(instance, "_minors_left", None), instance.household_id])


def _citizen_deleted(sender, instance: Citizen, **kwargs) -> None:
    refresh([instance.household_id, getattr(instance, "_queue_household", None)])


def _booking_changed(sender, instance: Booking, update_fields=None, raw=False, **kwargs) -> None:
    if kwargs.get("signal") is post_delete or _moves(update_fields, raw, BOOKING_INPUTS):
        refresh_citizens([instance.citizen_id])


def _flight_saved(sender, instance: Flight, update_fields=None, raw=False, created=False, **kw):
    if not created and _moves(update_fields, raw, FLIGHT_INPUTS):
        refresh_citizens(
            Booking.objects.filter(flight=instance, is_active=True).values_list(
                "citizen_id", flat=True
            )
        )


def _operation_rebuilt(sender, operation_id: int, **kwargs) -> None:
    rebuild(operation_id)


def _registered_in_bulk(sender, household_ids: list[int], **kwargs) -> None:
    refresh(household_ids)


def _birthdays(sender, day: date, **kwargs) -> None:
    refresh_birthdays(day)


def _forget_operation(sender, instance: Operation, **kwargs) -> None:
    MinorAlone.objects.filter(operation_id=instance.pk).delete()


def connect() -> None:
    pre_save.connect(_citizen_before, sender=Citizen, dispatch_uid="minors_citizen_pre")
    post_save.connect(_citizen_saved, sender=Citizen, dispatch_uid="minors_citizen")
    post_delete.connect(_citizen_deleted, sender=Citizen, dispatch_uid="minors_citizen_gone")
    post_save.connect(_booking_changed, sender=Booking, dispatch_uid="minors_booking")
    post_delete.connect(_booking_changed, sender=Booking, dispatch_uid="minors_booking_gone")
    post_save.connect(_flight_saved, sender=Flight, dispatch_uid="minors_flight")
    post_delete.connect(_forget_operation, sender=Operation, dispatch_uid="minors_operation_gone")
    counts.recounted.connect(_operation_rebuilt, dispatch_uid="minors_rebuilt")
    queue.birthdays_refreshed.connect(_birthdays, dispatch_uid="minors_birthdays")
    bulk_register.registered_in_bulk.connect(_registered_in_bulk, dispatch_uid="minors_bulk")

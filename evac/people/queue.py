"""Each waiting person's place in the waiting list's order, stored so the list is an index read.

Who gets the next seats: the most vulnerable first, then whoever has waited longest. A
household is one unit, as urgent as its most vulnerable waiting member and waiting since its
earliest registration. Ranking that on every read costs a pass over everyone waiting (five
seconds at a million people), so each person carries their unit's standing
(Citizen.queue_priority, queue_first, queue_size) and the list reads the `citizen_queue`
index in order (flights.selectors).

This module alone writes those fields, from what they depend on:
- on every save or delete of a person (a signal, so no write path can forget it): their
  unit, and the household they left;
- when a household is deleted: its former members, each now alone;
- each day (`refresh_birthdays`, a periodic task): the units of people who came of age or
  reached the elderly age since yesterday, since priority depends on today's date;
- `rebuild` for a whole operation, after bulk loads that bypass saves (demo, benchmarks,
  anonymisation).

The operation's counts (people.counts) move with the same writes: each rewrite here is
tallied before and after, in the writer's transaction, and also writes whether each person
is vulnerable today (Citizen.vulnerable_counted), the fact the counts are keyed by.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save
from django.dispatch import Signal

from evac.core.clock import today
from evac.people import counts
from evac.people.models import (
    Citizen,
    Household,
    confirmed_need_q,
    vulnerable_age_q,
    vulnerable_q,
    years_before,
)

# How urgently a person needs a seat. Medical need, reduced mobility and pregnancy come
# before age; the vulnerable as a whole (Citizen.objects.vulnerable()) before everyone else.
PRIORITY_URGENT = 2
PRIORITY_VULNERABLE = 1
PRIORITY_OTHER = 0

# What a person's standing depends on: a save that changes none of these leaves it as it was.
INPUTS = frozenset(
    {
        "status",
        "household",
        "medical_need",
        "reduced_mobility",
        "pregnant",
        "needs_claimed",
        "date_of_birth",
        "registered_at",
        "operation",
    }
)

# Days of birthdays the daily refresh looks back over, so a missed day or two is made good.
BIRTHDAYS_LOOKED_BACK = 7

# Sent with `day` after each birthday refresh, for the layers above whose stored facts
# depend on age today too (flights.minors_kept).
birthdays_refreshed = Signal()


def priority_on(day: date) -> Case:
    """A citizen's own priority on `day`: vulnerable_q's two halves, as two tiers.

    A need the person only claimed on the portal does not count until staff confirm it.
    """
    return Case(
        When(confirmed_need_q(), then=Value(PRIORITY_URGENT)),
        When(vulnerable_age_q(day), then=Value(PRIORITY_VULNERABLE)),
        default=Value(PRIORITY_OTHER),
    )


def refresh_units(*, citizens: Iterable[int] = (), households: Iterable[int | None] = ()) -> None:
    """Rewrite the standing of these people and of every member of these households.

    A person in a household must come with their household (the caller knows it).
    """
    people = [pk for pk in citizens if pk is not None]
    families = [pk for pk in households if pk is not None]
    if families:
        rewrite(Citizen.objects.filter(Q(pk__in=people) | Q(household_id__in=families)))
    elif people:
        rewrite(Citizen.objects.filter(pk__in=people), households=False)


def rebuild(operation_id: int) -> None:
    """Rewrite the standing of everyone in an operation, and its counts (after bulk writes)."""
    rewrite(Citizen.objects.filter(operation_id=operation_id))
    counts.recount(operation_id)
    counts.recounted.send(sender=None, operation_id=operation_id)


def refresh_birthdays(*, day: date | None = None) -> None:
    """Rewrite the units of people whose age tier changed in the last few days.

    Someone stops being a minor on their birthday and becomes elderly on theirs: the people
    born on the days that make those birthdays fall between a week ago and today.
    """
    day = day or today()
    since = day - timedelta(days=BIRTHDAYS_LOOKED_BACK)
    born = Q()
    for years in (settings.EVAC_MINOR_UNDER_AGE, settings.EVAC_ELDERLY_FROM_AGE):
        born |= Q(date_of_birth__gt=years_before(since, years)) & Q(
            date_of_birth__lte=years_before(day, years)
        )
    turning = Citizen.objects.filter(born, status=Citizen.Status.WAITING)
    households = turning.filter(household__isnull=False).values_list("household_id", flat=True)
    units = Citizen.objects.filter(
        Q(pk__in=list(turning.filter(household__isnull=True).values_list("pk", flat=True)))
        | Q(household_id__in=list(households))
    )
    with transaction.atomic():
        before = _locked_tally(units)
        rewrite(units, day=day)
        counts.add(before, counts.tally(units))
        birthdays_refreshed.send(sender=None, day=day)


def rewrite(people: QuerySet, *, day: date | None = None, households: bool = True) -> None:
    """One statement for everyone in `people` but households' waiting members, then one for
    those (window functions over each household) unless `households` is False.

    `people` must hold whole households: a household's unit is computed over its members
    within `people`.
    """
    day = day or today()
    # Only the rows whose vulnerability changed are written; a migration's older copy of
    # the model has no such field yet (0012 fills it).
    if any(field.name == "vulnerable_counted" for field in people.model._meta.fields):
        _write_vulnerable(people, day)
    # Plain values, not Citizen's: the migration that fills the fields runs this on its own
    # copy of the model.
    alone_waiting = Q(status="waiting", household__isnull=True)
    together_waiting = Q(status="waiting", household__isnull=False)
    # Household members waiting are written by the second statement; people not waiting
    # whose standing is already none are left alone, so a rebuild writes each row once.
    at_rest = Q(queue_priority=0, queue_first=False, queue_size=0)
    first = people.filter(alone_waiting | ~at_rest)
    if households:
        first = first.exclude(together_waiting)
    first.update(
        queue_priority=Case(When(alone_waiting, then=priority_on(day)), default=Value(0)),
        queue_first=ExpressionWrapper(alone_waiting, output_field=BooleanField()),
        queue_size=Case(When(alone_waiting, then=Value(1)), default=Value(0)),
    )
    if not households:
        return
    in_order = [F("registered_at").asc(), F("pk").asc()]
    ranked = (
        people.filter(together_waiting)
        .order_by()
        .annotate(
            person=F("pk"),
            unit_priority=Window(Max(priority_on(day)), partition_by=F("household_id")),
            unit_size=Window(Count("pk"), partition_by=F("household_id")),
            place=Window(RowNumber(), partition_by=F("household_id"), order_by=in_order),
        )
        .values("person", "unit_priority", "unit_size", "place")
    )
    sql, params = ranked.query.sql_with_params()
    table = connection.ops.quote_name(people.model._meta.db_table)
    with connection.cursor() as cursor:
        # Only the ORM's own SQL and quoted names are formatted in; values are parameters.
        cursor.execute(
            f"UPDATE {table} SET queue_priority = ranked.unit_priority, "  # noqa: S608
            "queue_size = ranked.unit_size, queue_first = (ranked.place = 1) "
            f"FROM ({sql}) AS ranked WHERE {table}.id = ranked.person",
            params,
        )


def _write_vulnerable(people: QuerySet, day: date) -> None:
    """One statement, writing only the rows whose vulnerability changed."""
    vulnerable = vulnerable_q(day)
    people.filter(
        (vulnerable & Q(vulnerable_counted=False)) | (~vulnerable & Q(vulnerable_counted=True))
    ).update(vulnerable_counted=Case(When(vulnerable, then=Value(True)), default=Value(False)))


# Kept on every write --------------------------------------------------------------------


def _remember_household(sender, instance: Citizen, **kwargs) -> None:
    # The household the person had when read, so leaving one refreshes the one left.
    instance._queue_household = instance.__dict__.get("household_id")


def _moves_standing(update_fields, raw: bool) -> bool:
    if raw:
        return False  # fixtures: rebuild() after loading
    return update_fields is None or bool((INPUTS | counts.MOVED_BY) & set(update_fields))


def _unit_rows(instance: Citizen) -> QuerySet:
    """The person and everyone in the households they are leaving and joining."""
    left = getattr(instance, "_queue_household", None)
    families = [pk for pk in {left, instance.household_id} if pk is not None]
    return Citizen.objects.filter(
        Q(pk__in=[instance.pk] if instance.pk else []) | Q(household_id__in=families)
    )


def _locked_tally(rows: QuerySet) -> dict:
    """The "before" of a write's counts, with the rows it tallies locked until it commits.

    Under READ COMMITTED another transaction may be changing a member of the same household;
    a "before" read without locks would then miss that change and the "after" see it once
    committed, and the difference would count it a second time. Locked in pk order, so two
    writes to one household queue instead of deadlocking. (SQLite serialises writers.)"""
    if connection.in_atomic_block and connection.features.has_select_for_update:
        list(rows.order_by("pk").select_for_update().values_list("pk", flat=True))
    return counts.tally(rows)


def _before_save(sender, instance: Citizen, update_fields=None, raw=False, **kwargs) -> None:
    moves = _moves_standing(update_fields, raw)
    instance._counts_before = _locked_tally(_unit_rows(instance)) if moves else None


def _after_save(sender, instance: Citizen, update_fields=None, raw=False, **kwargs) -> None:
    before = getattr(instance, "_counts_before", None)
    if before is None or not _moves_standing(update_fields, raw):
        return
    left = getattr(instance, "_queue_household", None)
    refresh_units(citizens=[instance.pk], households={left, instance.household_id})
    counts.add(before, counts.tally(_unit_rows(instance)))
    instance._queue_household = instance.household_id
    instance._counts_before = None


def _before_delete(sender, instance: Citizen, **kwargs) -> None:
    instance._counts_before = _locked_tally(_unit_rows(instance))


def _after_delete(sender, instance: Citizen, **kwargs) -> None:
    refresh_units(households={instance.household_id, getattr(instance, "_queue_household", None)})
    before = getattr(instance, "_counts_before", None)
    if before is not None:
        counts.add(before, counts.tally(_unit_rows(instance)))


def _before_household_delete(sender, instance: Household, **kwargs) -> None:
    instance._queue_members = list(instance.members.values_list("pk", flat=True))
    instance._counts_before = _locked_tally(Citizen.objects.filter(pk__in=instance._queue_members))


def _after_household_delete(sender, instance: Household, **kwargs) -> None:
    # Its members' household was set to none without a save of theirs: each is alone now.
    members = getattr(instance, "_queue_members", ())
    refresh_units(citizens=members)
    before = getattr(instance, "_counts_before", None)
    if before is not None:
        counts.add(before, counts.tally(Citizen.objects.filter(pk__in=members)))


def connect() -> None:
    post_init.connect(_remember_household, sender=Citizen, dispatch_uid="queue_init")
    pre_save.connect(_before_save, sender=Citizen, dispatch_uid="queue_pre_save")
    post_save.connect(_after_save, sender=Citizen, dispatch_uid="queue_save")
    pre_delete.connect(_before_delete, sender=Citizen, dispatch_uid="queue_pre_delete")
    post_delete.connect(_after_delete, sender=Citizen, dispatch_uid="queue_delete")
    pre_delete.connect(_before_household_delete, sender=Household, dispatch_uid="queue_hh_pre")
    post_delete.connect(_after_household_delete, sender=Household, dispatch_uid="queue_hh")

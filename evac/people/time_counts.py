"""The operation's people over time (PeopleByTime), kept in step with every write that moves
them, so that the dashboard's registrations by day and "not contacted" read a few thousand
rows instead of every person.

Two counts, by quarter hour of UTC (a slot), spread over COUNT_SHARDS rows by the person's
pk like people.counts:
- kind "registered": people by the slot they registered in (Citizen.registered_at). Every
  time zone's offset is a whole number of quarter hours, so the slots of any zone's local day
  add up to exactly that day's registrations.
- kind "heard": people by status and the slot they were last heard from in
  (last_contacted_at, or registered_at if never: people.selectors.heard_from_before). Those
  heard from before a cutoff are the whole slots before the cutoff's slot, plus the people
  in the cutoff's own slot up to the cutoff, read through the index citizen_op_silent_since.

Kept as people.counts is: a person's row is read (locked) before a save or delete that can
move it, and the difference written in the writer's transaction. Writes that bypass saves
say so (`kept_for`, around the contact log's update of last_contacted_at); bulk loads are
recounted with people.counts (`recounted`, sent by people.queue.rebuild and `recount_people`).
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Func, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from evac.people import counts
from evac.people.count_models import COUNT_SHARDS, PeopleByTime
from evac.people.models import Citizen

SLOT_SECONDS = 15 * 60
REGISTERED = "registered"
HEARD = "heard"

# What a save must change to move these counts.
MOVED_BY = frozenset({"operation", "operation_id", "status", "registered_at", "last_contacted_at"})
COLUMNS = ("operation_id", "kind", "status", "slot", "shard")
# A person's row as these counts need it.
FIELDS = ("pk", "operation_id", "status", "registered_at", "last_contacted_at")


class Slot(Func):
    """A moment's slot in SQL: whole SLOT_SECONDS since 1970, UTC (as `slot_of`)."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        template = f"FLOOR(EXTRACT(EPOCH FROM %(expressions)s) / {SLOT_SECONDS})::bigint"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # '%%%%s' is strftime's '%s' once the template and then the query are formatted.
        template = f"(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) / {SLOT_SECONDS})"
        return self.as_sql(compiler, connection, template=template, **extra)


def slot_of(moment: datetime) -> int:
    return int(moment.timestamp()) // SLOT_SECONDS


def slot_start(slot: int) -> datetime:
    return datetime.fromtimestamp(slot * SLOT_SECONDS, UTC)


def last_heard() -> Coalesce:
    """When a person was last heard from: registering counts (heard_from_before)."""
    return Coalesce("last_contacted_at", "registered_at")


# Kept on every write --------------------------------------------------------------------


def tally(people: QuerySet) -> Counter:
    """How many of `people` fall under each key, of both kinds. Two queries."""
    shard = F("pk") % COUNT_SHARDS
    registered = (
        people.order_by()
        .annotate(slot=Slot("registered_at"), shard=shard, kind=Value(REGISTERED))
        .values_list("operation", "kind", "slot", "shard")
        .annotate(n=Count("pk"))
    )
    heard = (
        people.order_by()
        .annotate(slot=Slot(last_heard()), shard=shard)
        .values_list("operation", "status", "slot", "shard")
        .annotate(n=Count("pk"))
    )
    found = Counter()
    for operation, kind, slot, shard_, n in registered:
        found[(operation, kind, "", slot, shard_)] += n
    for operation, status, slot, shard_, n in heard:
        found[(operation, HEARD, status, slot, shard_)] += n
    return found


def keys_of(person: dict[str, Any]) -> Counter:
    """The keys one person counts under, from their row (FIELDS)."""
    operation, shard = person["operation_id"], person["pk"] % COUNT_SHARDS
    heard = person["last_contacted_at"] or person["registered_at"]
    return Counter(
        {
            (operation, REGISTERED, "", slot_of(person["registered_at"]), shard): 1,
            (operation, HEARD, person["status"], slot_of(heard), shard): 1,
        }
    )


def _locked_row(pk: int) -> dict[str, Any] | None:
    """The person as stored, locked until the writer commits (see queue._locked_tally)."""
    rows = _row_of(pk)
    if connection.in_atomic_block and connection.features.has_select_for_update:
        rows = rows.select_for_update()
    return rows.first()


def _row_of(pk: int) -> QuerySet:
    return Citizen.objects.filter(pk=pk).order_by().values(*FIELDS)


def add(before: Counter, after: Counter) -> None:
    counts.add(before, after, model=PeopleByTime, columns=COLUMNS)


@contextmanager
def kept_for(pk: int) -> Iterator[None]:
    """Around a write to one person that bypasses saves (QuerySet.update): their counts move
    by what it changed. Inside the writer's transaction."""
    before = _locked_row(pk)
    yield
    after = _row_of(pk).first()
    add(keys_of(before) if before else Counter(), keys_of(after) if after else Counter())


def _moves(update_fields, raw: bool) -> bool:
    if raw:
        return False  # fixtures: recount after loading
    return update_fields is None or bool(MOVED_BY & set(update_fields))


def _before_save(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if not _moves(update_fields, raw):
        instance._times_before = None
        return
    # Read by pk even when adding: a record put back (a merge undone) may save over its row.
    stored = None if instance.pk is None else _locked_row(instance.pk)
    instance._times_before = stored or {}


def _after_save(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    before = getattr(instance, "_times_before", None)
    if before is None:
        return
    instance._times_before = None
    # What the row holds now: the fields this save wrote are the instance's, the others
    # as read (and locked) before it.
    written = None if update_fields is None else set(update_fields)
    after = {"pk": instance.pk}
    for name in FIELDS[1:]:
        plain = name.removesuffix("_id")
        wrote = written is None or name in written or plain in written or not before
        after[name] = getattr(instance, name) if wrote else before[name]
    add(keys_of(before) if before else Counter(), keys_of(after))


def _before_delete(sender, instance, **kwargs) -> None:
    instance._times_before = _locked_row(instance.pk)


def _after_delete(sender, instance, **kwargs) -> None:
    before = getattr(instance, "_times_before", None)
    if before:
        add(keys_of(before), Counter())


def recount(operation_id: int, *, citizens: type = Citizen, model: type = PeopleByTime) -> None:
    """Write an operation's counts from its people (after bulk writes). The models can be
    a migration's own."""
    people = citizens.objects.filter(operation_id=operation_id)
    with transaction.atomic():
        model.objects.filter(operation_id=operation_id).delete()
        model.objects.bulk_create(
            (
                model(**dict(zip(COLUMNS, key, strict=True)), people=n)
                for key, n in tally(people).items()
            ),
            batch_size=5000,
        )


def _recounted(sender, operation_id: int, **kwargs) -> None:
    recount(operation_id)


def _forget_operation(sender, instance, **kwargs) -> None:
    PeopleByTime.objects.filter(operation_id=instance.pk).delete()


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from evac.operations.models import Operation

    pre_save.connect(_before_save, sender=Citizen, dispatch_uid="time_counts_pre_save")
    post_save.connect(_after_save, sender=Citizen, dispatch_uid="time_counts_save")
    pre_delete.connect(_before_delete, sender=Citizen, dispatch_uid="time_counts_pre_delete")
    post_delete.connect(_after_delete, sender=Citizen, dispatch_uid="time_counts_delete")
    post_delete.connect(_forget_operation, sender=Operation, dispatch_uid="time_counts_gone")
    counts.recounted.connect(_recounted, dispatch_uid="time_counts_recounted")


# Read by the dashboard ------------------------------------------------------------------


def registered_by_day(operation_id: int, *, zone: tzinfo) -> dict[date, int]:
    """Registrations on each local day in `zone` (days with none left out). One query."""
    slots = (
        PeopleByTime.objects.filter(operation_id=operation_id, kind=REGISTERED, people__gt=0)
        .values_list("slot")
        .annotate(n=Sum("people"))
        .order_by()
    )
    by_day: Counter = Counter()
    for slot, n in slots:
        by_day[slot_start(slot).astimezone(zone).date()] += n
    return dict(by_day)


def heard_from_before_counted(
    operation_id: int, *, statuses: tuple[str, ...], cutoff: datetime
) -> int:
    """How many of the operation's people with one of `statuses` were last heard from
    before `cutoff` (people.selectors.heard_from_before). Two queries, neither reading more
    than one slot's people."""
    slot = slot_of(cutoff)
    whole = PeopleByTime.objects.filter(
        operation_id=operation_id, kind=HEARD, status__in=statuses, slot__lt=slot
    ).aggregate(people=Sum("people", default=0))["people"]
    partly = (
        Citizen.objects.filter(operation_id=operation_id, status__in=statuses)
        .annotate(last_heard=last_heard())
        .filter(last_heard__gte=slot_start(slot), last_heard__lt=cutoff)
        .count()
    )
    return whole + partly

"""The operation's people in numbers (PeopleCount), kept in step with every write that moves
them, so that the dashboard, the staff home and the waiting list read a few dozen rows
instead of counting a million people.

A count is keyed by what the pages ask: operation, city, status, vulnerable or not, and
standing for a waiting unit or not (Citizen.queue_first), and spread over COUNT_SHARDS rows by
the person's pk so that concurrent bookings in one city seldom wait on one row. Every change
is counted the same way: the rows a write can move are tallied by key before it and after
it (one grouped query each), and the difference is added with `people = people + n`, in the
writer's transaction. people.queue calls this around each rewrite of a unit's standing,
which is also where a person's vulnerability is evaluated (Citizen.vulnerable_counted), so
the counts move with birthdays when the waiting list does.

`recount` writes an operation's counts from scratch (after bulk loads: people.queue.rebuild,
and the `recount_people` command); both then send `recounted`, for the layers above that keep
summaries of their own (flights.minors_kept) to write theirs.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum
from django.dispatch import Signal

from evac.people.count_models import COUNT_SHARDS, PeopleCount
from evac.places.models import City

# The Citizen fields a count is keyed by, as Citizen's fields are named.
KEY = ("operation", "current_city", "status", "vulnerable_counted", "queue_first")
# What a save must change to move a count (beyond what moves the waiting list's standing).
MOVED_BY = frozenset({"operation", "current_city", "status"})

# The columns of a PeopleCount's key, in the order of KEY and its shard.
COLUMNS = ("operation_id", "city_id", "status", "vulnerable", "first", "shard")

# Sent with `operation_id` once an operation's people were rewritten in bulk and recounted.
recounted = Signal()


def tally(people: QuerySet) -> Counter:
    """How many of `people` fall under each key. One query."""
    rows = (
        people.order_by()
        .annotate(shard=F("pk") % COUNT_SHARDS)
        .values_list(*KEY, "shard")
        .annotate(n=Count("pk"))
    )
    return Counter({tuple(row[:-1]): row[-1] for row in rows})


def add(
    before: Counter,
    after: Counter,
    *,
    model: type = PeopleCount,
    columns: tuple[str, ...] = COLUMNS,
) -> None:
    """Move the counts by what changed from `before` to `after`, keys in a fixed order so
    that two writers never wait on each other's rows crosswise. `columns` name a key's
    parts in `model` (people.time_counts keeps counts of its own this way)."""
    change = Counter(after)
    change.subtract(before)
    for key in sorted(key for key, n in change.items() if n):
        _add_to(model, columns, key, change[key])


def _add_to(model: type, columns: tuple[str, ...], key: tuple, n: int) -> None:
    if n < 0:
        # A fall with no row to fall from: the operation's rows went before its people
        # (deleting an operation), so there is nothing left to keep.
        model.objects.filter(**dict(zip(columns, key, strict=True))).update(people=F("people") + n)
        return
    # One statement, made or added to, on SQLite and PostgreSQL alike: a registration
    # costs a write here whether or not its row existed (and two writers can't both make it).
    quote = connection.ops.quote_name
    key_columns = ", ".join(quote(c) for c in columns)
    table = quote(model._meta.db_table)
    people = quote("people")
    values = ", ".join(["%s"] * (len(columns) + 1))
    with connection.cursor() as cursor:
        # Names quoted from the model, values as parameters.
        cursor.execute(
            f"INSERT INTO {table} ({key_columns}, {people}) VALUES ({values}) "  # noqa: S608
            f"ON CONFLICT ({key_columns}) DO UPDATE SET {people} = {table}.{people} + %s",
            [*key, n, n],
        )


def recount(operation_id: int, *, citizens: type | None = None, model: type = PeopleCount) -> None:
    """Write an operation's counts from its people (after bulk writes). The models can be
    a migration's own."""
    if citizens is None:
        from evac.people.models import Citizen as citizens
    people = citizens.objects.filter(operation_id=operation_id)
    with transaction.atomic():
        model.objects.filter(operation_id=operation_id).delete()
        model.objects.bulk_create(
            model(
                operation_id=operation,
                city_id=city,
                status=status,
                vulnerable=vulnerable,
                first=first,
                shard=shard,
                people=n,
            )
            for (operation, city, status, vulnerable, first, shard), n in tally(people).items()
        )


def registered_counted(
    operation_id: int, *, statuses: list[str] | None = None, city: City | None = None
) -> int:
    """Everyone registered in the operation, or those with one of `statuses` and in `city`,
    from the maintained counts."""
    rows = PeopleCount.objects.filter(operation_id=operation_id)
    if statuses:
        rows = rows.filter(status__in=statuses)
    if city is not None:
        rows = rows.filter(city=city)
    return rows.aggregate(people=Sum("people", default=0))["people"]


def recount_all(operation_ids: Iterable[int]) -> None:
    for operation_id in operation_ids:
        recount(operation_id)
        recounted.send(sender=None, operation_id=operation_id)


def _forget_operation(sender, instance, **kwargs) -> None:
    PeopleCount.objects.filter(operation_id=instance.pk).delete()


def connect() -> None:
    from django.db.models.signals import post_delete

    from evac.operations.models import Operation

    post_delete.connect(_forget_operation, sender=Operation, dispatch_uid="people_counts_gone")

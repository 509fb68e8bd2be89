"""The operation's people in numbers, kept as they change so that no page counts them.

Imported from people/models.py, so the table belongs to the people app; people/counts.py
alone writes it.
"""

from django.db import models

from evac.operations.models import Operation
from evac.places.models import City

# Each count is spread over this many rows, by the person's pk, so that people booked at
# the same time in one city mostly add to different rows rather than queue on one.
COUNT_SHARDS = 8


class PeopleCount(models.Model):
    """How many of an operation's people are in one city, with one status, vulnerable or
    not (as people.queue last evaluated it: Citizen.vulnerable_counted) and standing for a
    waiting unit or not (Citizen.queue_first). A page adds the rows it needs."""

    # No database constraint: deleting an operation deletes its people first, and their
    # signals may still move counts; counts.connect() removes the rows with the operation.
    operation = models.ForeignKey(
        Operation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    vulnerable = models.BooleanField()
    first = models.BooleanField()
    shard = models.PositiveSmallIntegerField()
    people = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "city", "status", "vulnerable", "first", "shard"],
                name="people_count_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation_id} {self.city_id} {self.status}: {self.people}"


class PeopleByTime(models.Model):
    """How many of an operation's people registered in one quarter hour (kind
    "registered"), or were last heard from in one (kind "heard", by status), so that the
    dashboard's registrations by day and "not contacted" add a few thousand rows instead of
    reading every person. Quarter hours of UTC, so that any time zone's days are whole
    numbers of them. people/time_counts.py alone writes it."""

    operation = models.ForeignKey(
        Operation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=10)
    status = models.CharField(max_length=20)  # "" for kind "registered"
    slot = models.BigIntegerField()  # seconds since 1970 (UTC), over time_counts.SLOT_SECONDS
    shard = models.PositiveSmallIntegerField()
    people = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "kind", "status", "slot", "shard"],
                name="people_by_time_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation_id} {self.kind} {self.status} {self.slot}: {self.people}"

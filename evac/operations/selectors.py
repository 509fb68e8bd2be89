from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count

from evac.flights.models import Flight
from evac.operations.dashboard import FLIGHTS_AHEAD_STATUSES
from evac.operations.models import Operation
from evac.people.models import Citizen


@dataclass(frozen=True)
class OperationOverview:
    """A few numbers for an operation's card on the staff landing page."""

    operation: Operation
    status_counts: dict[str, int] = field(default_factory=dict)
    flights_ahead: int = 0

    @property
    def registered(self) -> int:
        return sum(self.status_counts.values())

    @property
    def waiting(self) -> int:
        return self.status_counts.get(Citizen.Status.WAITING, 0)

    @property
    def booked(self) -> int:
        return self.status_counts.get(Citizen.Status.BOOKED, 0)

    @property
    def evacuated(self) -> int:
        return self.status_counts.get(Citizen.Status.EVACUATED, 0)


def operation_overviews(operations: Sequence[Operation]) -> list[OperationOverview]:
    """Overviews of several operations in two queries, however many operations and people."""
    ids = [op.pk for op in operations]
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Citizen.Status.values, 0))
    people = (
        Citizen.objects.filter(operation__in=ids)
        .values("operation", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in people:
        counts[row["operation"]][row["status"]] = row["n"]
    flights = dict(
        Flight.objects.filter(operation__in=ids, status__in=FLIGHTS_AHEAD_STATUSES)
        .values("operation")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("operation", "n")
    )
    return [OperationOverview(op, counts[op.pk], flights.get(op.pk, 0)) for op in operations]

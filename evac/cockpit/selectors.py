"""Reads for the staff home and the closing page: operations in a few numbers, and what
closing and retention need to know."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Sum

from evac.flights.closing import flights_still_ahead
from evac.flights.models import FLIGHTS_AHEAD_STATUSES, Flight
from evac.operations.models import Operation, due_for_anonymisation_q
from evac.people.models import Citizen, PeopleCount
from evac.people.selectors import people_counts


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
        PeopleCount.objects.filter(operation__in=ids)
        .values("operation", "status")
        .annotate(n=Sum("people"))
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


# Closing and retention ------------------------------------------------------------------


def operations_due_for_anonymisation(*, today: date) -> list[int]:
    """Closed operations whose anonymisation day has come and that are not yet anonymised."""
    return list(
        Operation.objects.filter(due_for_anonymisation_q(today))
        .order_by("anonymise_on", "pk")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class Retention:
    """What the closing page tells a coordinator before and after closing."""

    operation: Operation
    today: date
    people: int
    flights_ahead: int
    default_days: int

    @property
    def anonymise_on_if_closed_today(self) -> date:
        return self.today + timedelta(days=self.default_days)

    @property
    def days_left(self) -> int | None:
        on = self.operation.anonymise_on
        return None if on is None else (on - self.today).days

    @property
    def schedule_can_change(self) -> bool:
        return self.operation.schedule_can_change(self.today)


def retention_overview(operation: Operation, *, today: date) -> Retention:
    return Retention(
        operation=operation,
        today=today,
        people=sum(people_counts(operation).by_status.values()),
        flights_ahead=flights_still_ahead(operation),
        default_days=settings.EVAC_RETENTION_DAYS,
    )

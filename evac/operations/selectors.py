from dataclasses import dataclass

from evac.flights.models import Flight
from evac.flights.selectors import upcoming_flights
from evac.operations.access import Actor, operations_visible_to
from evac.operations.models import Operation
from evac.people.selectors import WaitingInCity, status_counts, waiting_by_city


@dataclass(frozen=True)
class OperationSummary:
    operation: Operation
    status_counts: dict[str, int]
    waiting_by_city: list[WaitingInCity]
    upcoming_flights: list[Flight]

    @property
    def registered(self) -> int:
        return sum(self.status_counts.values())


def operation_summary(operation: Operation) -> OperationSummary:
    return OperationSummary(
        operation=operation,
        status_counts=status_counts(operation),
        waiting_by_city=waiting_by_city(operation),
        upcoming_flights=list(upcoming_flights(operation)[:10]),
    )


def operation_summaries_for(user: Actor) -> list[OperationSummary]:
    active = operations_visible_to(user).filter(status=Operation.Status.ACTIVE)
    return [operation_summary(op) for op in active]

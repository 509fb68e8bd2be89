"""What seed_demo loaded, for its summary and the tests: the numbers, the open flights, the
logins, and how the week was placed in time."""

from dataclasses import dataclass

from evac.demo.models import Replay
from evac.flights.models import Flight
from evac.operations.models import Membership, Operation
from evac.people.models import Citizen
from evac.people.selectors import people_counts, waiting_in
from evac.places.models import Airport


@dataclass(frozen=True)
class DemoResult:
    operation: Operation
    story_loaded: bool  # False when it was already there and was left alone
    replay: Replay
    status_counts: dict[str, int]
    waiting_in_almaty: int
    open_flights: list[Flight]
    logins: list[Membership]
    password: str
    lookup_example: Citizen | None

    @property
    def registered(self) -> int:
        return sum(self.status_counts.values())

    def summary(self) -> str:
        counts = self.status_counts
        lines = [f"{self.operation} ({self.operation.slug}): {self._state()}"]
        lines += [
            f"  {self.registered} registered, {self.waiting_in_almaty} waiting in Almaty, "
            f"{counts[Citizen.Status.EVACUATED]} evacuated, "
            f"{counts[Citizen.Status.DECIDED_TO_STAY]} decided to stay.",
        ]
        for flight in self.open_flights:
            departs = flight.departs_local.strftime("%d %b %Y %H:%M")
            lines.append(
                f"  {flight} on {departs}: {flight.seats_booked} of {flight.seats_total} "
                "seats booked"
            )
        if self.lookup_example:
            person = self.lookup_example
            lines.append(f"  Public status check: {person}, reference {person.reference}")
        lines.append(f"Logins (password: {self.password}):")
        lines += [f"  {m.user.username:<12} {m.get_role_display()}" for m in self.logins]
        lines.append(
            "Second step (coordinator, officer): the code their authenticator shows now is "
            "printed by `.venv/bin/python manage.py demo_code coordinator` (or officer)."
        )
        return "\n".join(lines)

    def _state(self) -> str:
        replay = self.replay
        if replay.historical:
            kind = "the week of 5-11 January 2022 with its dates as they were"
        else:
            day_one = replay.day_one.strftime("%d %b %Y")
            kind = f"the week of 5-11 January 2022 replayed in the present (5 January is {day_one})"
        if self.story_loaded:
            return f"loaded {kind}."
        loaded = replay.loaded_at.strftime("%d %b %Y %H:%M UTC")
        return (
            f"kept {kind}, loaded {loaded}; demo logins reset. "
            "`seed_demo --reanchor` replays it from now."
        )


def demo_result(
    operation: Operation,
    airports: dict[str, Airport],
    logins: list[Membership],
    password: str,
    story_loaded: bool,
    replay: Replay,
) -> DemoResult:
    open_flights = list(
        operation.flights.filter(status=Flight.Status.OPEN)
        .select_related("departure_airport__city", "arrival_airport")
        .order_by("departs_at")
    )
    example = None
    if open_flights:
        seat = (
            open_flights[0]
            .bookings.filter(is_active=True)
            .select_related("citizen")
            .order_by("citizen__surname", "citizen__given_names")
            .first()
        )
        example = seat.citizen if seat else None
    return DemoResult(
        operation=operation,
        story_loaded=story_loaded,
        replay=replay,
        status_counts=people_counts(operation).by_status,
        waiting_in_almaty=waiting_in(operation=operation, city=airports["ALA"].city).count(),
        open_flights=open_flights,
        logins=logins,
        password=password,
        lookup_example=example,
    )

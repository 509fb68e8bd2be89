"""The demo's trains: the embassy's group train from Almaty to Nur-Sultan before each flight,
planned, booked as journeys and boarded through the transfer services, as Evac itself."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from evac.core.actor import EVAC
from evac.demo.timeline import Timeline
from evac.flights.journeys import journey_book
from evac.flights.models import Booking, Flight, GroundTransfer, TransferSeat
from evac.flights.transfers import transfer_create, transfer_seat_set_status, transfer_set_status
from evac.operations.models import Operation
from evac.places.models import City

if TYPE_CHECKING:
    from evac.demo.scenario import Registered


@dataclass(frozen=True)
class TrainPlan:
    """The embassy's group train from Almaty to Nur-Sultan before a flight."""

    day: date  # of departure, Almaty time
    seats: int
    carriage: int
    departs_local: time = time(21, 20)


TRAIN_NUMBER = "12"
TRAIN_OPERATOR = "Kazakhstan Temir Zholy"
TRAIN_TIME = timedelta(hours=12, minutes=45)
TRAIN_BOARDING_STARTS = timedelta(minutes=40)  # before departure


def plan_train(
    operation: Operation, flight: Flight, plan: TrainPlan, t: Timeline
) -> GroundTransfer:
    """The group train to the flight's city, planned when the flight was."""
    almaty, nur_sultan = City.objects.get(name="Almaty"), flight.departure_airport.city
    departs = t.at(datetime.combine(plan.day, plan.departs_local, tzinfo=almaty.time_zone))
    flight_day = flight.departs_local.date()
    return transfer_create(
        operation=operation,
        by=EVAC,
        at=flight.history.earliest("history_date").history_date,
        mode=GroundTransfer.Mode.RAIL,
        number=TRAIN_NUMBER,
        operator=TRAIN_OPERATOR,
        from_city=almaty,
        to_city=nur_sultan,
        departs_at=departs,
        arrives_at=departs + TRAIN_TIME,
        meeting_point=f"Almaty-2 station, main hall; carriage {plan.carriage}",
        seats_total=plan.seats,
        description=(
            "Group rail tickets bought by the embassy. Passengers continue on "
            f"{flight.number} from Nur-Sultan on {flight_day.day} {flight_day:%B}."
        ),
    )


def take_train(train: GroundTransfer) -> None:
    """Everyone on the train boards; it leaves and arrives in Nur-Sultan."""
    gate = train.departs_at - TRAIN_BOARDING_STARTS
    train = transfer_set_status(
        transfer=train, status=GroundTransfer.Status.BOARDING, by=EVAC, at=gate
    )
    for seat in train.active_seats.order_by("pk"):
        transfer_seat_set_status(seat=seat, status=TransferSeat.Status.BOARDED, by=EVAC, at=gate)
    train = transfer_set_status(
        transfer=train, status=GroundTransfer.Status.DEPARTED, by=EVAC, at=train.departs_at
    )
    transfer_set_status(
        transfer=train, status=GroundTransfer.Status.ARRIVED, by=EVAC, at=train.arrives_at
    )


def book_journeys(
    parties: list["Registered"], flight: Flight, train: GroundTransfer, at: datetime
) -> list[Booking]:
    """Book each party on the train and the flight after it, a household together."""
    bookings: list[Booking] = []
    for party in parties:
        unit = {"household": party.household} if party.household else {"citizen": party.head}
        journey = journey_book(flight=flight, transfers=[train], by=EVAC, at=at, **unit)
        bookings += journey.bookings
    return bookings

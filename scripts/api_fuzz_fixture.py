"""Run by scripts/api_fuzz.sh inside `manage.py shell` on the demo database: makes the
coordinator's token and prints, as shell assignments, the records Schemathesis aims at."""

from evac.api.services import api_token_create
from evac.core.actor import EVAC
from evac.demo.scenario import OPERATION_SLUG
from evac.flights.models import Booking, Flight, GroundTransfer, TransferSeat
from evac.operations.models import Operation
from evac.people.models import Citizen

operation = Operation.objects.get(slug=OPERATION_SLUG)
coordinator = operation.memberships.get(role="coordinator").user
_token, key = api_token_create(user=coordinator, name="schemathesis", by=EVAC)
# A second token the fuzzer may revoke (DELETE /tokens/{id}/) without cutting itself off.
spare, _key = api_token_create(user=coordinator, name="for the fuzzer to revoke", by=EVAC)
flight = operation.flights.filter(status=Flight.Status.OPEN).order_by("departs_at").first()
booking = Booking.objects.filter(flight=flight, is_active=True).order_by("pk").first()
citizen = operation.citizens.filter(status=Citizen.Status.WAITING).order_by("pk").first()
household = operation.households.order_by("pk").first()
transfer = (
    operation.transfers.filter(status=GroundTransfer.Status.SCHEDULED)
    .order_by("departs_at")
    .first()
    or operation.transfers.order_by("pk").first()
)
transfer_seat = TransferSeat.objects.filter(transfer=transfer).order_by("pk").first()

print(f"EVAC_FUZZ_TOKEN={key}")
print(f"EVAC_FUZZ_SPARE_TOKEN={spare.pk}")
print(f"EVAC_FUZZ_OPERATION={operation.slug}")
print(f"EVAC_FUZZ_FLIGHT={flight.pk}")
print(f"EVAC_FUZZ_BOOKING={booking.pk if booking else 1}")
print(f"EVAC_FUZZ_CITIZEN={citizen.reference_code}")
print(f"EVAC_FUZZ_HOUSEHOLD={household.pk}")
print(f"EVAC_FUZZ_TRANSFER={transfer.pk if transfer else 1}")
print(f"EVAC_FUZZ_TRANSFER_SEAT={transfer_seat.pk if transfer_seat else 1}")

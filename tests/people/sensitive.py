"""A person whose health and document details are easy to spot, and every page and API
answer that could show them, for the tests of who sees what (test_medical_by_role.py,
test_masking.py).

The staff pages are found from the URL configuration (tests/test_url_access.py), and the
API's from its list of an operation's endpoints, so a page or endpoint added later is read
by these tests too.
"""

import io
from dataclasses import dataclass

from django.test import Client
from django.urls import resolve
from openpyxl import load_workbook

from evac.flights.exports import CONTENT_TYPES
from evac.flights.models import Booking, Flight
from evac.flights.services import booking_create, flight_set_status
from evac.operations.models import Operation
from evac.people.models import Citizen, ContactLogEntry
from evac.people.services import citizen_update, contact_log_add, household_register
from tests.api.client import op_url
from tests.test_url_access import staff_urls
from tests.url_patterns import ABSENT, operation_api_urls

# Distinctive enough that no page shows them by chance; letters and digits only, so they
# read the same in HTML and JSON.
DOCUMENT = "ZQ73192846"
MASKED_DOCUMENT = "•••••2846"
MEDICAL_BEFORE = "Asthma inhaler Q9W7"
MEDICAL = "Dialysis every 48 hours K7X2"


@dataclass(frozen=True)
class Sensitive:
    person: Citizen
    flight: Flight
    booking: Booking


def sensitive_person(operation: Operation, city, flight: Flight, *, by) -> Sensitive:
    """A head of household with a medical need and a distinctive passport, booked on
    `flight` (then boarding), whose medical details were changed once (so the change
    history has them), with a logged call and the booking's messages."""
    household = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=by,
        members=[
            _member(city, "Dovzhenko", "Hanna", DOCUMENT, medical_details=MEDICAL_BEFORE),
            _member(city, "Dovzhenko", "Ivan", "ZQ55550001"),
        ],
    )
    person = household.head
    citizen_update(citizen=person, by=by, medical_details=MEDICAL)
    contact_log_add(
        citizen=person,
        channel=ContactLogEntry.Channel.PHONE,
        direction=ContactLogEntry.Direction.INBOUND,
        outcome=ContactLogEntry.Outcome.REACHED,
        note="called about the flight",
        by=by,
    )
    booking = booking_create(flight=flight, citizen=person, by=by)
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=by)
    flight.refresh_from_db()
    return Sensitive(person, flight, booking)


def _member(city, surname: str, given_names: str, document: str, **fields) -> dict:
    return {
        "surname": surname,
        "given_names": given_names,
        "date_of_birth": "1950-06-01",
        "sex": Citizen.Sex.FEMALE,
        "nationality": "UA",
        "document_type": Citizen.DocumentType.PASSPORT,
        "document_number": document,
        "phone": "+77015550123",
        "medical_need": "medical_details" in fields,
        "current_city": city,
        **fields,
    }


def staff_pages(client: Client, data: Sensitive, *, membership_id: int) -> dict[str, str]:
    """Every staff page the signed-in user may open (200), by URL name, as HTML.

    The pages are those of tests/test_url_access.py, filled in with this person, flight
    and seat; a page the user may not open is left out.
    """
    values = {
        "operation_slug": data.person.operation.slug,
        "flight_id": data.flight.pk,
        "transfer_id": 0,  # no transfer: its pages answer 404
        "transfer_seat_id": 0,
        "booking_id": data.booking.pk,
        "ref": data.person.reference_code,
        "export_format": "csv",
        "member_id": membership_id,
        "airport_iata": "NQZ",
        "import_id": ABSENT,
        "merge_id": ABSENT,
        "duplicate_pair_id": ABSENT,
        "dismissed_pair_id": ABSENT,
        "message_id": ABSENT,
    }
    pages = {}
    for url in staff_urls(values):
        response = client.get(url)
        if response.status_code == 200:
            pages[resolve(url).view_name] = response.content.decode()
    return pages


def api_answers(client, data: Sensitive) -> dict[str, str]:
    """Every GET endpoint of the operation the client may read (200), by URL name."""
    values = {
        "operation_slug": data.person.operation.slug,
        "ref": data.person.reference,
        "household_id": data.person.household_id,
        "flight_id": data.flight.pk,
        "transfer_id": 0,  # no transfer: its pages answer 404
        "transfer_seat_id": 0,
        "booking_id": data.booking.pk,
        "offer_id": ABSENT,  # an offer's own addresses only take answers (POST): no GET
        "airport_iata": data.flight.departure_airport.iata_code,
        "import_id": ABSENT,
        "merge_id": ABSENT,
        "duplicate_pair_id": ABSENT,
        "dismissed_pair_id": ABSENT,
        "message_id": ABSENT,
        "member_id": ABSENT,
    }
    answers = {}
    for pattern, url in operation_api_urls(values):
        response = client.get(url)
        if response.status_code == 200:
            answers[pattern.name.removeprefix("api:")] = text_of(response)
    # Lists narrowed to this person, as a client looking for them would ask.
    operation = data.person.operation
    for name, url in (
        ("citizens?q", op_url(operation, f"citizens/?q={DOCUMENT}")),
        ("notifications?citizen", op_url(operation, f"notifications/?citizen={values['ref']}")),
    ):
        response = client.get(url)
        if response.status_code == 200:
            answers[name] = response.content.decode()
    return answers


def text_of(response) -> str:
    """What an answer says, as text: a workbook's cells, one a line, or the body decoded."""
    if response.get("Content-Type") == CONTENT_TYPES["xlsx"]:
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        rows = (row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
        return "\n".join(str(cell) for row in rows for cell in row)
    return response.content.decode()

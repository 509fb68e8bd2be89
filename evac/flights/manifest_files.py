"""The manifest files that leave Evac: who may take one, what is in it, and the record of it.

`manifest_file_export` is the one service behind the staff page's buttons and the API's
file endpoints: it checks the role, builds the file with the pure writers in
`flights.exports`, writes down the export (shown on the manifest page) and returns the file.
The callers wrap it in a response and write the access log for their channel.

Whole document numbers leave only with a role that signs in with a second step
(Permission.EXPORT_DOCUMENTS: officers and coordinators); a viewer reads the manifest with
numbers masked, on the page and through the API, and gets no file.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import translation

from evac.audit.models import AccessAction
from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights import exports, paxlst
from evac.flights.checks import passenger_checks
from evac.flights.models import Booking, Flight, ManifestExport
from evac.flights.selectors import (
    booking_counts,
    manifest_on_board,
    paxlst_lists_boarded_only,
    paxlst_passengers,
)
from evac.flights.services import manifest_export_record
from evac.operations.access import Actor, Permission, require_permission
from evac.people.models import Citizen

FORMATS = ("csv", "xlsx", "paxlst")
CONTENT_TYPES = {**exports.CONTENT_TYPES, "paxlst": "application/edifact"}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "paxlst": "edi"}

# The PAXLST document codes (UN/EDIFACT 1001, IATA's list): P passport, I identity card,
# F an approved non-standard travel document (emergency certificate, certificate of return).
# A child's travel document is a passport-type booklet (P); a child on a birth certificate
# travels on a non-standard document too (F).
PAXLST_DOCUMENT_CODES: dict[str, str] = {
    Citizen.DocumentType.PASSPORT: "P",
    Citizen.DocumentType.NATIONAL_ID: "I",
    Citizen.DocumentType.CHILD_TRAVEL_DOCUMENT: "P",
    Citizen.DocumentType.BIRTH_CERTIFICATE: "F",
    Citizen.DocumentType.EMERGENCY_CERTIFICATE: "F",
    Citizen.DocumentType.TRAVEL_DOCUMENT: "F",
    Citizen.DocumentType.NONE: "",
}

# How each file is named in the access log.
ACCESS_ACTIONS = {
    ManifestExport.Format.CSV: AccessAction.MANIFEST_EXPORTED_CSV,
    ManifestExport.Format.XLSX: AccessAction.MANIFEST_EXPORTED_XLSX,
    ManifestExport.Format.PAXLST: AccessAction.MANIFEST_EXPORTED_PAXLST,
}


@dataclass(frozen=True)
class ManifestFile:
    content: bytes
    content_type: str
    filename: str
    rows: int


def file_name(flight: Flight, fmt: str) -> str:
    """manifest-PS9004-2022-01-13.csv: the flight number and its local departure date."""
    number = "".join(ch for ch in flight.number if ch.isascii() and ch.isalnum())
    day = flight.departs_local.date().isoformat()
    return f"{'paxlst' if fmt == 'paxlst' else 'manifest'}-{number}-{day}.{EXTENSIONS[fmt]}"


def manifest_file_export(*, flight: Flight, format: str, by: Actor) -> ManifestFile:
    """The manifest of `flight` as a file, written down as an export (who, when, how many).

    Refused (PermissionDenied) to a role without Permission.EXPORT_DOCUMENTS; an unknown
    format is a ValueError (the callers offer only FORMATS).
    """
    if format not in FORMATS:
        raise ValueError(f"No manifest file in the format {format!r}")
    require_permission(by, flight.operation, Permission.EXPORT_DOCUMENTS)
    if format == ManifestExport.Format.PAXLST:
        content, rows = _paxlst(flight, by=by)
    else:
        records = list(exports.apis_records(flight, manifest_on_board(flight)))
        rows = len(records)
        if format == ManifestExport.Format.CSV:
            content = exports.to_csv(records)
        else:
            content = exports.to_xlsx(records, flight=_facts(flight, by=by, passengers=rows))
        manifest_export_record(flight=flight, by=by, format=format, rows=rows)
    return ManifestFile(
        content=content,
        content_type=CONTENT_TYPES[format],
        filename=file_name(flight, format),
        rows=rows,
    )


@transaction.atomic
def _paxlst(flight: Flight, *, by: Actor) -> tuple[bytes, int]:
    operation = flight.operation
    bookings = list(paxlst_passengers(flight))
    checks = passenger_checks(flight, bookings)
    passengers = [_paxlst_passenger(b, checks[b.pk].special_service) for b in bookings]
    # Recorded first: its id is the file's control reference, unique however many are
    # made in a second (and undone with it if the file can't be built).
    export = manifest_export_record(
        flight=flight, by=by, format=ManifestExport.Format.PAXLST, rows=len(passengers)
    )
    prepared_at = now()
    text = paxlst.paxlst_message(
        leg=paxlst.FlightLeg(
            number=flight.number,
            carrier=flight.carrier,
            departure_airport=flight.departure_airport.iata_code,
            arrival_airport=flight.arrival_airport.iata_code,
            departs_local=flight.departs_local,
            arrives_local=flight.arrives_local,
        ),
        passengers=passengers,
        reporting_party=paxlst.ReportingParty(
            name=operation.embassy_contact_name or operation.name,
            phone=operation.embassy_contact_phone or operation.hotline_phone,
        ),
        on_board_only=paxlst_lists_boarded_only(flight),
        sender=f"EVAC {operation.slug}",
        prepared_at=prepared_at,
        # Unique per file (an..14): the export's id.
        control_reference=str(export.pk),
    )
    # UNOA holds only ASCII, so the text is ASCII whatever the names were.
    return text.encode("ascii"), len(passengers)


def _paxlst_passenger(booking: Booking, special_service: tuple[str, ...]) -> paxlst.Passenger:
    person = booking.citizen
    return paxlst.Passenger(
        surname=person.surname,
        given_names=person.given_names,
        sex=person.sex,
        born_on=person.date_of_birth,
        nationality=exports.alpha3(person.nationality),
        booking_reference=person.reference,
        document_code=PAXLST_DOCUMENT_CODES.get(person.document_type, "F"),
        document_number=person.document_number,
        document_country=exports.alpha3(person.document_issuing_country),
        document_expires_on=person.document_expires_on,
        special_service=special_service,
        name_country=str(person.document_issuing_country or person.nationality or ""),
    )


def _facts(flight: Flight, *, by: Actor, passengers: int) -> exports.FlightFacts:
    counts = booking_counts(flight)
    with translation.override("en"):  # the file is read abroad, like its column names
        by_status = [
            (f"Seats {status.label.lower()}", counts[status.value])
            for status in Booking.Status
            if status != Booking.Status.CANCELLED
        ]
    departure, arrival = flight.departure_airport, flight.arrival_airport
    return exports.FlightFacts(
        number=flight.number,
        carrier=flight.carrier,
        route=f"{departure.iata_code} {departure.city.name} → {arrival.iata_code} "
        f"{arrival.city.name}",
        departs_local=flight.departs_local,
        passengers=passengers,
        counts=by_status,
        generated_at=now(),
        generated_by=by.get_username() if by is not EVAC else "Evac",
    )

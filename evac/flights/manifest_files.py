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

from django.utils import translation

from evac.audit.models import AccessAction
from evac.core.clock import now
from evac.flights import exports
from evac.flights.models import Booking, Flight, ManifestExport
from evac.flights.selectors import booking_counts, manifest_on_board
from evac.flights.services import manifest_export_record
from evac.operations.access import Actor, Permission, require_permission

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = exports.CONTENT_TYPES

# How each file is named in the access log.
ACCESS_ACTIONS = {
    ManifestExport.Format.CSV: AccessAction.MANIFEST_EXPORTED_CSV,
    ManifestExport.Format.XLSX: AccessAction.MANIFEST_EXPORTED_XLSX,
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
    return f"manifest-{number}-{flight.departs_local.date().isoformat()}.{fmt}"


def manifest_file_export(*, flight: Flight, format: str, by: Actor) -> ManifestFile:
    """The manifest of `flight` as a file, written down as an export (who, when, how many).

    Refused (PermissionDenied) to a role without Permission.EXPORT_DOCUMENTS; an unknown
    format is a ValueError (the callers offer only FORMATS).
    """
    if format not in FORMATS:
        raise ValueError(f"No manifest file in the format {format!r}")
    require_permission(by, flight.operation, Permission.EXPORT_DOCUMENTS)
    records = list(exports.apis_records(manifest_on_board(flight)))
    if format == ManifestExport.Format.CSV:
        content = exports.to_csv(records)
    else:
        content = exports.to_xlsx(records, flight=_facts(flight, by=by, passengers=len(records)))
    manifest_export_record(flight=flight, by=by, format=format, rows=len(records))
    return ManifestFile(
        content=content,
        content_type=CONTENT_TYPES[format],
        filename=file_name(flight, format),
        rows=len(records),
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
        generated_by=by.get_username() if by is not None else "Evac",
    )

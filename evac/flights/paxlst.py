"""A flight's passengers as the UN/EDIFACT PAXLST message carriers and borders load.

Pure: typed passengers in, the message text out; the segments are built and escaped by
pydifact (no string pasting). The layout follows the WCO/IATA/ICAO PAXLST implementation
guide for air API (directory D05B, IATA's association code):

    (one unbroken line; shown here a segment a line)
    UNA:+.? '                                   service string advice
    UNB+UNOA:4+<sender>+<recipient>+<date>:<time>+<control ref>'
    UNH+1+PAXLST:D:05B:UN:IATA+<flight/date>+01:F'   one message, first and last
    BGM+745'          a passenger list before departure (booked seats)
    BGM+745+CLOB'     the close-out list after departure: passengers on board only
    RFF+TN:<flight and which passengers>'
    NAD+MS+++<embassy contact>'  COM+<phone>:TE'     the reporting party
    TDT+20+<flight>+++<carrier>'
    LOC+125+<from>'  DTM+189:<local departure>:201'
    LOC+87+<to>'     DTM+232:<local arrival>:201'
    then for each passenger:
    NAD+FL+++<surname>:<given names>'  ATT+2++<sex>'  DTM+329:<birth>'
    FTX+AAI+++<special service codes>'   only when the person has some
    LOC+178+<from>'  LOC+179+<to>'  NAT+2+<nationality>'  RFF+AVF:<booking reference>'
    DOC+<type>:110:111+<number>'  DTM+36:<expiry>'  LOC+91+<issuing country>'
    CNT+42:<passengers>'
    UNT+<segments>+1'  UNZ+1+<control ref>'

Names go in the passport's Latin letters (people.latin); a name still recorded in another
script is transliterated for the file, because the message's character set (UNOA) has no
other letters, and the manifest flags it for staff to fix. Dates are the airports' local
times (format 201, YYMMDDHHMM), as the guide asks.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pydifact.control import Characters
from pydifact.segmentcollection import Interchange, Message
from pydifact.segments import Segment

from evac.people.latin import has_foreign_letters, is_passport_latin, latin_offer

MESSAGE_TYPE = ("PAXLST", "D", "05B", "UN", "IATA")
SYNTAX = ("UNOA", 4)
SERVICE_CHARACTERS = ":+.? '"
# BGM document identifier for the list sent at flight close-out: passengers on board.
CLOSE_OUT_ON_BOARD = "CLOB"
PASSENGER_LIST = "745"

# A flight number as airlines write it: the carrier's two-character designator, then digits.
_FLIGHT_NUMBER = re.compile(r"^([A-Z0-9]{2})\s*(\d{1,4}[A-Z]?)$")
# What UNOA (level A) can carry besides upper-case letters and digits.
_UNOA_EXTRA = set(" .,-()/='+:?!\"%&*;<>")
MAX_TEXT = 35  # an..35: names, the contact, references


@dataclass(frozen=True)
class Passenger:
    surname: str
    given_names: str
    sex: str  # F, M, or X (unspecified, sent as U)
    born_on: date
    nationality: str  # ISO 3166-1 alpha-3
    booking_reference: str
    document_code: str  # P, I, F… ("" when the person has no document)
    document_number: str
    document_country: str  # alpha-3
    document_expires_on: date | None
    special_service: Sequence[str] = ()  # IATA SSR codes (WCHR, MEDA…)
    # ISO alpha-2 of the document's issuing country (else the nationality): its standard
    # transliterates a name still in Cyrillic (Олег is OLEH in a Ukrainian passport).
    name_country: str = ""


@dataclass(frozen=True)
class FlightLeg:
    number: str
    carrier: str
    departure_airport: str  # IATA
    arrival_airport: str
    departs_local: datetime
    arrives_local: datetime


@dataclass(frozen=True)
class ReportingParty:
    name: str
    phone: str


def carrier_and_flight(number: str, carrier: str) -> tuple[str, str]:
    """("PS", "PS9004") from "PS 9004"; a number of another shape is kept as it is, and the
    carrier then named (cut to the field's 17 characters)."""
    compact = number.upper().strip()
    match = _FLIGHT_NUMBER.match(compact)
    if match:
        return match[1], match[1] + match[2]
    return unoa(carrier)[:17], unoa(compact).replace(" ", "")[:17]


def unoa(text: str) -> str:
    """`text` in UNOA's characters (upper-case letters, digits, some punctuation): a word in
    another script is transliterated, and whatever else UNOA lacks is left out."""
    words = [
        latin_offer(word) if has_foreign_letters(word) else word for word in text.upper().split()
    ]
    return "".join(c for c in " ".join(words) if _in_unoa(c))


def _in_unoa(char: str) -> bool:
    return "A" <= char <= "Z" or "0" <= char <= "9" or char in _UNOA_EXTRA


def _name(text: str, country: str) -> str:
    # A name already in passport Latin goes as it is; another script is transliterated
    # as the issuing country's passports do (people.latin) rather than dropped.
    if is_passport_latin(text):
        return text.upper()[:MAX_TEXT]
    return (latin_offer(text, country=country) or unoa(text))[:MAX_TEXT]


def _document_number(number: str) -> str:
    return "".join(c for c in number.upper() if "A" <= c <= "Z" or "0" <= c <= "9")[:MAX_TEXT]


def _ymd(day: date) -> str:
    return day.strftime("%y%m%d")


def _local(moment: datetime) -> str:
    return moment.strftime("%y%m%d%H%M")


def _sex(code: str) -> str:
    return code if code in ("F", "M") else "U"


def paxlst_message(
    *,
    leg: FlightLeg,
    passengers: Iterable[Passenger],
    reporting_party: ReportingParty,
    on_board_only: bool,
    sender: str,
    prepared_at: datetime,
    control_reference: str,
    break_lines: bool = False,
) -> str:
    """The interchange holding one PAXLST message for `leg`, as text: one unbroken line, as
    carriers' and borders' systems expect (`break_lines`: one segment a line, to read)."""
    carrier, flight_id = carrier_and_flight(leg.number, leg.carrier)
    flight_ref = f"{flight_id}/{leg.departs_local:%y%m%d}/{leg.departs_local:%H%M}"
    message = Message("1", MESSAGE_TYPE, extra_header_elements=[flight_ref, ["01", "F"]])
    scope = "BOARDED" if on_board_only else "BOOKED"
    message.add_segments(
        [
            Segment("BGM", PASSENGER_LIST, CLOSE_OUT_ON_BOARD)
            if on_board_only
            else Segment("BGM", PASSENGER_LIST),
            Segment("RFF", ["TN", f"{flight_id} {scope}"[:MAX_TEXT]]),
            Segment("NAD", "MS", "", "", unoa(reporting_party.name)[:MAX_TEXT] or "EMBASSY"),
        ]
    )
    if reporting_party.phone:
        message.add_segment(Segment("COM", [unoa(reporting_party.phone)[:MAX_TEXT], "TE"]))
    message.add_segments(
        [
            Segment("TDT", "20", flight_id, "", "", carrier),
            Segment("LOC", "125", leg.departure_airport),
            Segment("DTM", ["189", _local(leg.departs_local), "201"]),
            Segment("LOC", "87", leg.arrival_airport),
            Segment("DTM", ["232", _local(leg.arrives_local), "201"]),
        ]
    )
    count = 0
    for passenger in passengers:
        message.add_segments(_passenger_segments(passenger, leg))
        count += 1
    message.add_segment(Segment("CNT", ["42", str(count)]))
    interchange = Interchange(
        sender=unoa(sender)[:MAX_TEXT],
        recipient=carrier,
        control_reference=control_reference,
        syntax_identifier=SYNTAX,
        timestamp=prepared_at,
        # The guide's service string advice: a full stop for decimals, not the default comma.
        characters=Characters.from_str(SERVICE_CHARACTERS),
    )
    interchange.has_una_segment = True
    interchange.add_message(message)
    return interchange.serialize(break_lines=break_lines)


def _passenger_segments(passenger: Passenger, leg: FlightLeg) -> list[Segment]:
    segments = [
        Segment(
            "NAD",
            "FL",
            "",
            "",
            [
                _name(passenger.surname, passenger.name_country),
                _name(passenger.given_names, passenger.name_country),
            ],
        ),
        Segment("ATT", "2", "", _sex(passenger.sex)),
        Segment("DTM", ["329", _ymd(passenger.born_on)]),
    ]
    if passenger.special_service:
        segments.append(Segment("FTX", "AAI", "", "", " ".join(passenger.special_service)))
    segments += [
        Segment("LOC", "178", leg.departure_airport),
        Segment("LOC", "179", leg.arrival_airport),
    ]
    if passenger.nationality:
        segments.append(Segment("NAT", "2", passenger.nationality))
    segments.append(Segment("RFF", ["AVF", unoa(passenger.booking_reference)]))
    if passenger.document_code:
        segments.append(
            Segment(
                "DOC",
                [passenger.document_code, "110", "111"],
                # Letters and digits only, as the MRZ has it; the manifest's document
                # check flags a number recorded with anything else (people.documents).
                _document_number(passenger.document_number),
            )
        )
        if passenger.document_expires_on:
            segments.append(Segment("DTM", ["36", _ymd(passenger.document_expires_on)]))
        if passenger.document_country:
            segments.append(Segment("LOC", "91", passenger.document_country))
    return segments

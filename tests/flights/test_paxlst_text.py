"""The PAXLST text itself, from typed passengers: no database, no page."""

from datetime import date, datetime

from pydifact.segmentcollection import Interchange

from evac.flights import paxlst

LEG = paxlst.FlightLeg(
    number="PS 9004",
    carrier="PS",
    departure_airport="ALA",
    arrival_airport="KBP",
    departs_local=datetime(2026, 12, 8, 10, 40),
    arrives_local=datetime(2026, 12, 8, 14, 5),
)


def passenger(**fields) -> paxlst.Passenger:
    base = {
        "surname": "Savchenko",
        "given_names": "Oksana",
        "sex": "F",
        "born_on": date(1979, 11, 2),
        "nationality": "UKR",
        "booking_reference": "ABC-123",
        "document_code": "P",
        "document_number": "FS765432",
        "document_country": "UKR",
        "document_expires_on": date(2031, 5, 31),
    }
    return paxlst.Passenger(**{**base, **fields})


def message(*passengers: paxlst.Passenger) -> str:
    return paxlst.paxlst_message(
        leg=LEG,
        passengers=passengers,
        reporting_party=paxlst.ReportingParty(name="Embassy", phone="+7 7172 55 00 22"),
        on_board_only=False,
        sender="EVAC test",
        prepared_at=datetime(2026, 12, 7, 19, 0),
        control_reference="42",
    )


def _names(text: str) -> list[list[str]]:
    segments = Interchange.from_str(text).get_segments("NAD")
    return [s.elements[3] for s in segments if s.elements[0] == "FL"]


def test_a_cyrillic_name_follows_the_standard_of_the_country_that_issued_the_document():
    text = message(
        passenger(surname="Коваль", given_names="Олег", name_country="UA"),
        passenger(surname="Коваль", given_names="Олег", name_country="KZ"),
    )
    assert _names(text) == [["KOVAL", "OLEH"], ["KOVAL", "OLEG"]]


def test_the_message_is_one_unbroken_line_unless_asked_to_break_it():
    text = message(passenger())
    assert "\n" not in text and "\r" not in text
    assert text.count("'") >= 20
    readable = paxlst.paxlst_message(
        leg=LEG,
        passengers=[passenger()],
        reporting_party=paxlst.ReportingParty(name="Embassy", phone=""),
        on_board_only=False,
        sender="EVAC test",
        prepared_at=datetime(2026, 12, 7, 19, 0),
        control_reference="42",
        break_lines=True,
    )
    assert "'\n" in readable


def test_a_document_number_goes_as_letters_and_digits_only():
    text = message(passenger(document_number="fs-765 432/1."))
    (doc,) = Interchange.from_str(text).get_segments("DOC")
    assert doc.elements[1] == "FS7654321"

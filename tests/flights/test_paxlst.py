"""The manifest as a UN/EDIFACT PAXLST message: built with pydifact, read back with it, and
every passenger checked against the database."""

from datetime import date

import pytest
from django.urls import reverse
from pydifact.parser import Parser
from pydifact.segmentcollection import Interchange
from pydifact.segments import Segment

from evac.audit.models import AccessLogEntry
from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.manifest_files import manifest_file_export
from evac.flights.models import Booking, ManifestExport
from evac.flights.selectors import manifest_on_board
from evac.flights.services import booking_create
from evac.people.models import Citizen
from tests.api.client import op_url, token_client
from tests.factories import make_citizen, make_departed_flight

pytestmark = pytest.mark.django_db

DOCUMENT_CODES = {"passport": "P", "national_id": "I", "travel_document": "F"}


def _url(flight):
    return reverse("flights:export", args=[flight.operation.slug, flight.pk, "paxlst"])


@pytest.fixture
def embassy(operation):
    operation.embassy_contact_name = "Embassy of Ukraine Nur-Sultan"
    operation.embassy_contact_phone = "+7 7172 55 00 22"
    operation.save()
    return operation


@pytest.fixture
def passengers(embassy, almaty, flight):
    people = [
        make_citizen(
            embassy,
            almaty,
            surname="Savchenko",
            given_names="Oksana Petrivna",
            sex="F",
            date_of_birth=date(1979, 11, 2),
            document_number="FS765432",
            document_issuing_country="UA",
            document_expires_on=date(2031, 5, 31),
        ),
        make_citizen(
            embassy,
            almaty,
            surname="O'Brien-Nowak",
            given_names="Piotr",
            sex="M",
            nationality="PL",
            document_type=Citizen.DocumentType.NATIONAL_ID,
            document_number="ABC123456",
            document_issuing_country="PL",
        ),
        make_citizen(
            embassy,
            almaty,
            surname="Ivanenko",
            given_names="Yurii",
            sex="X",
            document_type=Citizen.DocumentType.TRAVEL_DOCUMENT,
            document_number="CR0001",
        ),
        make_citizen(
            embassy,
            almaty,
            surname="Bondar",
            given_names="Maria",
            document_type=Citizen.DocumentType.NONE,
            document_number="",
        ),
    ]
    # An old record whose "Latin" name was typed in Cyrillic.
    Citizen.objects.filter(pk=people[3].pk).update(surname="Бондар")
    for person in people:
        booking_create(flight=flight, citizen=person, by=EVAC)
    return people


def _segments(text: str) -> list[Segment]:
    return list(Parser().parse(text))


def _passenger_groups(segments: list[Segment]) -> list[list[Segment]]:
    groups: list[list[Segment]] = []
    for segment in segments:
        if segment.tag == "NAD" and segment.elements[0] == "FL":
            groups.append([segment])
        elif segment.tag == "CNT":
            break
        elif groups:
            groups[-1].append(segment)
    return groups


def _first(group: list[Segment], tag: str, qualifier: str | None = None) -> Segment | None:
    for segment in group:
        head = segment.elements[0]
        code = head[0] if isinstance(head, list) else head
        if segment.tag == tag and (qualifier is None or code == qualifier):
            return segment
    return None


def _yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


def _check_against_the_database(text: str, bookings: list[Booking]) -> None:
    groups = _passenger_groups(_segments(text))
    by_reference = {_first(g, "RFF").elements[0][1]: g for g in groups}
    assert sorted(by_reference) == sorted(b.citizen.reference for b in bookings)
    for booking in bookings:
        person = Citizen.objects.get(pk=booking.citizen_id)
        group = by_reference[person.reference]
        surname, given = _first(group, "NAD").elements[3]
        expected_surname = "BONDAR" if person.surname == "Бондар" else person.surname.upper()
        assert (surname, given) == (expected_surname, person.given_names.upper())
        assert _first(group, "ATT").elements == ["2", "", {"X": "U"}.get(person.sex, person.sex)]
        assert _first(group, "DTM", "329").elements[0][1] == _yymmdd(person.date_of_birth)
        assert _first(group, "NAT").elements == ["2", person.nationality.alpha3]
        doc = _first(group, "DOC")
        if person.document_type == Citizen.DocumentType.NONE:
            assert doc is None and _first(group, "LOC", "91") is None
            continue
        assert doc.elements == [
            [DOCUMENT_CODES[person.document_type], "110", "111"],
            person.document_number,
        ]
        expiry = _first(group, "DTM", "36")
        if person.document_expires_on:
            assert expiry.elements[0][1] == _yymmdd(person.document_expires_on)
        else:
            assert expiry is None
        country = person.document_issuing_country
        issuing = _first(group, "LOC", "91")
        assert (issuing.elements[1] if issuing else "") == (country.alpha3 if country else "")


def test_the_paxlst_message_reads_back_with_every_passenger_as_in_the_database(
    client, flight, passengers, bob
):
    client.force_login(bob)

    response = client.get(_url(flight))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/edifact"
    assert response["Content-Disposition"].endswith('.edi"')
    text = response.content.decode("ascii")
    _check_against_the_database(text, list(manifest_on_board(flight)))


def test_the_envelope_headers_and_trailers_are_right(client, flight, passengers, bob):
    client.force_login(bob)
    text = client.get(_url(flight)).content.decode("ascii")

    interchange = Interchange.from_str(text)
    (message,) = interchange.get_messages()
    segments = _segments(text)
    tags = [s.tag for s in segments]

    assert text.startswith("UNA:+.? '")
    assert interchange.syntax_identifier == ("UNOA", 4)
    assert message.identifier == ["PAXLST", "D", "05B", "UN", "IATA"]
    unb, unh = segments[1], segments[2]
    assert unb.tag == "UNB" and unh.tag == "UNH"
    assert message.get_segment("BGM").elements == ["745"]  # booked seats: before departure
    assert message.get_segment("NAD").elements == ["MS", "", "", "EMBASSY OF UKRAINE NUR-SULTAN"]
    assert message.get_segment("COM").elements == [["+7 7172 55 00 22", "TE"]]
    carrier, number = flight.number[:2], flight.number.replace(" ", "")
    assert message.get_segment("TDT").elements == ["20", number, "", "", carrier]
    local = flight.departs_local.strftime("%y%m%d%H%M")
    assert message.get_segment("LOC").elements == ["125", "NQZ"]
    assert message.get_segment("DTM").elements == [["189", local, "201"]]
    assert message.get_segment("LOC", lambda s: s.elements[0] == "87").elements == ["87", "KBP"]
    assert message.get_segment("CNT").elements == [["42", "4"]]
    # UNT counts the message's segments, UNH and UNT included; UNZ counts the messages.
    unt, unz = segments[-2], segments[-1]
    assert unt.tag == "UNT" and unz.tag == "UNZ"
    assert int(unt.elements[0]) == tags.index("UNT") - tags.index("UNH") + 1
    assert unt.elements[1] == unh.elements[0]
    assert unz.elements == ["1", unb.elements[4]]


def test_a_name_with_an_apostrophe_is_escaped_and_reads_back_whole(client, flight, passengers, bob):
    client.force_login(bob)
    text = client.get(_url(flight)).content.decode("ascii")

    assert "O?'BRIEN-NOWAK" in text
    names = [g[0].elements[3][0] for g in _passenger_groups(_segments(text))]
    assert "O'BRIEN-NOWAK" in names


def test_a_departed_flight_lists_only_who_boarded_and_says_so(
    client, embassy, almaty, nqz, kbp, bob
):
    flew = [make_citizen(embassy, almaty, surname=s) for s in ("Flew", "Also")]
    missed = make_citizen(embassy, almaty, surname="Missed")
    flight = make_departed_flight(embassy, nqz, kbp, boarded=flew, no_shows=[missed])
    client.force_login(bob)

    text = client.get(_url(flight)).content.decode("ascii")
    page = client.get(reverse("flights:manifest", args=[embassy.slug, flight.pk])).content.decode()

    (message,) = Interchange.from_str(text).get_messages()
    assert message.get_segment("BGM").elements == ["745", "CLOB"]
    assert "BOARDED" in message.get_segment("RFF").elements[0][1]
    _check_against_the_database(text, list(flight.bookings.filter(status=Booking.Status.BOARDED)))
    assert message.get_segment("CNT").elements == [["42", "2"]]
    assert "PAXLST (boarded passengers)" in page and 'data-paxlst-scope="boarded"' in page


def test_an_open_flight_page_says_the_file_lists_booked_seats(client, flight, passengers, bob):
    client.force_login(bob)

    page = client.get(reverse("flights:manifest", args=[flight.operation.slug, flight.pk]))

    assert "PAXLST (booked passengers)" in page.content.decode()
    assert 'data-paxlst-scope="booked"' in page.content.decode()


def test_each_paxlst_is_recorded_and_logged_and_a_viewer_gets_none(
    client, flight, passengers, bob, carol
):
    client.force_login(carol)
    assert client.get(_url(flight)).status_code == 403
    client.force_login(bob)
    client.get(_url(flight))

    export = ManifestExport.objects.get()
    assert (export.by, export.format, export.rows) == (bob, "paxlst", 4)
    assert AccessLogEntry.objects.get().action == "manifest_exported_paxlst"


def test_the_api_hands_out_the_same_message(operation, flight, passengers, bob, carol):
    url = op_url(operation, f"flights/{flight.pk}/manifest.paxlst")

    response = token_client(bob).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/edifact"
    _check_against_the_database(response.content.decode(), list(manifest_on_board(flight)))
    assert token_client(carol).get(url).status_code == 403
    assert ManifestExport.objects.get().format == "paxlst"


def test_two_files_made_in_the_same_second_have_different_control_references(
    flight, passengers, bob, pin_clock
):
    pin_clock(now())
    references = []
    for _ in range(2):
        made = manifest_file_export(flight=flight, format="paxlst", by=bob)
        interchange = Interchange.from_str(made.content.decode("ascii"))
        references.append(interchange.control_reference)
    exports = ManifestExport.objects.filter(flight=flight).order_by("pk")
    assert references[0] != references[1]
    assert references == [str(e.pk) for e in exports]

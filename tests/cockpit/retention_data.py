"""An operation full of personal data, in every place Evac keeps it, for the retention tests.

`fill_with_personal_data` goes through the same doors people use: the public registration
form, the staff services (so history rows exist), the portal's one-time codes, a flight that
leaves, a ground transfer, the admin log, and sends every message to the SMS file and the
e-mail folder. It returns every distinctive value it wrote, so a test can look for each.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from evac.flights.models import GroundTransfer, TransferSeat
from evac.flights.services import (
    booking_cancel,
    booking_create,
    flight_set_status,
    flight_update,
    manifest_export_record,
)
from evac.notifications.delivery import notification_send
from evac.notifications.models import Notification
from evac.operations.models import Operation
from evac.people.models import Citizen
from evac.people.services import citizen_register, citizen_update, contact_log_add
from evac.places.models import Airport, City
from evac.portal.codes import one_time_code_issue
from evac.portal.models import OneTimeCode
from tests.factories import make_departed_flight, make_flight

# For each tag, values that can't carry letters: a phone number (two people of one operation
# differ in its last digit) and the mother's and her son's dates of birth.
PHONES = {"Qx": "+77017730194", "Jv": "+77019120583"}
BIRTHDAYS = {"Qx": ("1987-11-23", "2014-05-09"), "Jv": ("1986-10-22", "2013-04-08")}


@dataclass
class PersonalData:
    """What was written: every value that must be gone (or must stay), and where to look."""

    values: list[str] = field(default_factory=list)
    people: list[Citizen] = field(default_factory=list)

    def add(self, *values: str) -> None:
        self.values.extend(values)


def register_on_the_portal(operation: Operation, city: City, people: list[dict], address: str):
    """The public registration form, as a person on a phone fills it in."""
    data = {
        "people-TOTAL_FORMS": str(len(people)),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "12",
        "current_city": str(city.pk),
        "temporary_address": address,
        "consent": "on",
    }
    for n, person in enumerate(people):
        base = {
            "sex": "F",
            "nationality": "UA",
            "document_type": "passport",
            "phone": "",
            "email": "",
            "preferred_language": "uk",
            "preferred_channel": "sms",
            "medical_details": "",
        }
        data.update({f"people-{n}-{k}": v for k, v in {**base, **person}.items()})
    client = Client()
    response = client.post(reverse("portal:register", args=[operation.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    # The page after registering reads the names back from the session: it now holds them.
    assert client.get(response["Location"]).status_code == 200


def send_everything_pending() -> None:
    """Send every pending message now, as a worker would (to the SMS file, the mail folder)."""
    for pk in Notification.objects.filter(status=Notification.Status.PENDING).values_list(
        "pk", flat=True
    ):
        notification_send(notification_id=pk)


def fill_with_personal_data(
    operation: Operation,
    *,
    tag: str,
    city: City,
    to_city: City,
    departure: Airport,
    arrival: Airport,
    coordinator,
    officer,
) -> PersonalData:
    """People of `operation` whose every value contains `tag`, so values never collide."""
    found = PersonalData()
    t = tag  # letters of its own in every value, so one operation's values never match another's
    phone = PHONES[t]
    born, son_born = BIRTHDAYS[t]
    mother = {
        "surname": f"Pryhodko-{t}wicky",
        "given_names": f"Solomiya {t}ardith",
        "date_of_birth": born,
        "document_number": f"F{t.upper()}7730194",
        "phone": phone,
        "email": f"solomiya.{t.lower()}wicky@example.net",
        "preferred_channel": "email",
        "medical_need": "on",
        "medical_details": f"Insulin-dependent, carries {t}humalog pens",
    }
    son = {
        "surname": f"Pryhodko-{t}wicky",
        "given_names": f"Orest {t}ulian",
        "date_of_birth": son_born,
        "sex": "M",
        "document_number": f"F{t.upper()}7730195",
    }
    address = f"Hotel {t}ixos, room 1907, Seifullin 506"
    register_on_the_portal(operation, city, [mother, son], address)
    mum = operation.citizens.get(given_names=mother["given_names"])
    boy = operation.citizens.get(given_names=son["given_names"])
    found.add(
        mother["surname"],
        mother["given_names"],
        son["given_names"],
        mother["date_of_birth"],
        son["date_of_birth"],
        mother["document_number"],
        son["document_number"],
        mother["phone"],
        mother["phone"].removeprefix("+"),  # the number in any other format
        mother["email"],
        address,
        mother["medical_details"],
    )

    # Staff add the names in Cyrillic and notes, then the address changes: history rows.
    native_surname, native_given = f"Приходько-{t}віккі", f"Соломія {t}ардіт"
    citizen_update(
        citizen=mum,
        by=officer,
        surname_native=native_surname,
        given_names_native=native_given,
        notes=f"Sister {t}arta in Lviv, call after 18:00",
    )
    new_address = f"Flat 12, {t}bay avenue 44, Almaty"
    citizen_update(citizen=mum, by=officer, temporary_address=new_address)
    contact_log_add(
        citizen=mum,
        channel="phone",
        direction="inbound",
        outcome="reached",
        note=f"Neighbour {t}rkadiusz can drive them to the station",
        by=officer,
    )
    found.add(native_surname, native_given, f"Sister {t}arta in Lviv", new_address)
    found.add(f"Neighbour {t}rkadiusz")

    # A person registered by an officer, who stays; and a duplicate, deleted again.
    stays = citizen_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=officer,
        surname=f"Hrytsenko-{t}uarles",
        given_names="Bohdana",
        surname_native=f"Гриценко-{t}уарлз",
        date_of_birth=date(1951, 2, 17),
        sex="F",
        nationality="UA",
        document_type=Citizen.DocumentType.NATIONAL_ID,
        document_number=f"ID{t.upper()}55012",
        phone=phone[:-1] + "7",
        current_city=city,
        temporary_address=f"{t}enkova street 3",
    )
    found.add(
        stays.surname,
        stays.surname_native,
        stays.document_number,
        stays.phone.as_e164,
        stays.temporary_address,
    )
    duplicate = citizen_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=officer,
        surname=f"Dubliak-{t}ennings",
        given_names="Ivanna",
        date_of_birth=date(1990, 8, 30),
        sex="F",
        nationality="UA",
        document_type=Citizen.DocumentType.NONE,
        current_city=city,
    )
    found.add(duplicate.surname)

    # The portal: a one-time code to the phone on file.
    mum.refresh_from_db()
    code = one_time_code_issue(citizen=mum, channel=OneTimeCode.Channel.SMS)
    found.add(code.code_hash)

    # Mother and son fly out; the other stays. The flight's notes name her.
    flight = make_departed_flight(operation, departure, arrival, boarded=[mum, boy])
    flight_update(flight=flight, by=coordinator, notes=f"Wheelchair for Mrs Pryhodko-{t}wicky")
    # The manifest file itself is made on request and never stored; its record stays.
    manifest_export_record(flight=flight, by=coordinator, format="csv", rows=2)
    # A seat booked and cancelled on another flight: a booking, its history, its messages.
    later = make_flight(operation, departure, arrival, seats=3)
    booking = booking_create(flight=later, citizen=stays, by=coordinator)
    booking_cancel(booking=booking, by=coordinator)
    flight_set_status(flight=later, status="cancelled", by=coordinator)
    transfer = GroundTransfer.objects.create(
        operation=operation,
        mode=GroundTransfer.Mode.RAIL,
        from_city=city,
        to_city=to_city,
        departs_at=datetime.fromisoformat("2022-01-08T18:00:00+06:00"),
        arrives_at=datetime.fromisoformat("2022-01-09T08:00:00+06:00"),
        seats_total=40,
        description=f"Car 7; {t}ksana Melnyk leads the group",
    )
    for person in (mum, boy):
        TransferSeat.objects.create(
            transfer=transfer, citizen=person, status=TransferSeat.Status.BOARDED
        )
    found.add(f"{t}ksana Melnyk")

    # Changes made in the admin, which names each object in its log.
    for obj, flag in ((stays, CHANGE), (booking, CHANGE), (duplicate, DELETION)):
        LogEntry.objects.log_actions(
            coordinator.pk,
            [obj],
            flag,
            # As the admin writes it for a change in an inline: the inline object's name.
            change_message=[{"changed": {"name": "booking", "object": str(booking)}}],
            single_object=True,
        )
    duplicate.delete()

    send_everything_pending()
    found.people = [mum, boy, stays]
    return found


# Looking everywhere ----------------------------------------------------------------------


def database_text() -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every value of every column of every table.

    Every column, not only the text-like ones: cast to text, a date or a JSON document is
    searched too. Sessions are stored encoded, so each one is decoded and added as well.
    """
    quote = connection.ops.quote_name
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            select = ", ".join(f"CAST({quote(c)} AS TEXT)" for c in columns)
            cursor.execute(f"SELECT {select} FROM {quote(table)}")  # noqa: S608
            for row in cursor.fetchall():
                cells.extend(
                    (table, column, value)
                    for column, value in zip(columns, row, strict=True)
                    if value is not None
                )
    for session in Session.objects.all():
        decoded = SessionStore().decode(session.session_data)
        cells.append(("django_session", "(decoded)", json.dumps(decoded, ensure_ascii=False)))
    return cells


def files_text(*folders: Path) -> list[tuple[str, str, str]]:
    """Every file under the folders, as text; e-mails also with their bodies decoded."""
    cells = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            cells.append(("file", str(path), path.read_text(encoding="utf-8", errors="replace")))
            if path.suffix == ".log" and path.parent.name == "mail":
                # A body in Cyrillic is sent base64- or quoted-printable-encoded.
                for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                    message = BytesParser(policy=default).parsebytes(raw)
                    body = message.get_body(preferencelist=("plain",))
                    if body is not None:
                        cells.append(("file", f"{path} (decoded)", body.get_content()))
    return cells


def _spellings(value: str) -> set[str]:
    """A value as it may be stored: any case, and escaped in JSON."""
    forms = {value, value.upper(), value.lower()}
    return {f.casefold() for f in forms} | {json.dumps(f)[1:-1].casefold() for f in forms}


def where_found(values: list[str], cells: list[tuple[str, str, str]]) -> dict[str, set]:
    """Each value that occurs somewhere, with the (table, column) pairs it occurs in."""
    folded = [(table, column, text.casefold()) for table, column, text in cells]
    found: dict[str, set] = {}
    for value in values:
        spellings = _spellings(value)
        places = {(t, c) for t, c, text in folded if any(s in text for s in spellings)}
        if places:
            found[value] = places
    return found

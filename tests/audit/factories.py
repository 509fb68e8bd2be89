"""What the access log tests share: a person with every kind of personal data, and a check
that a log row holds none of it."""

from datetime import date

from evac.audit.models import AccessLogEntry
from evac.people.models import Citizen
from tests.factories import make_citizen

TEXT_FIELDS = ("username", "action", "channel", "object_kind", "object_label", "ip_address")


def make_olena(operation, city) -> Citizen:
    return make_citizen(
        operation,
        city,
        surname="Kovalenko",
        given_names="Olena Mykolaivna",
        surname_native="Коваленко",
        given_names_native="Олена",
        date_of_birth=date(1985, 3, 14),
        document_number="FA987654",
        phone="+77012345678",
        email="olena.kovalenko@example.org",
        temporary_address="Abay Ave 10, flat 4",
        medical_need=True,
        medical_details="insulin twice a day",
    )


def personal_data(person: Citizen) -> list[str]:
    return [
        person.surname,
        person.given_names,
        person.surname_native,
        person.given_names_native,
        person.document_number,
        str(person.phone.national_number) if person.phone else "",
        person.phone.as_e164 if person.phone else "",
        person.email,
        person.temporary_address,
        person.medical_details,
        person.date_of_birth.isoformat(),
    ]


def assert_holds_no_personal_data(entry: AccessLogEntry, *people: Citizen) -> None:
    """No text the row holds (nor its str) contains any of these people's details."""
    texts = [str(getattr(entry, name) or "") for name in TEXT_FIELDS] + [str(entry)]
    row = " | ".join(texts).casefold()
    for person in people:
        for detail in filter(None, personal_data(person)):
            assert detail.casefold() not in row, f"{detail!r} is in the access log: {row}"

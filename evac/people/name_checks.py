"""The data check for Latin names: people whose name is not as a passport writes it, with the
transliteration Evac offers. It lists; it never rewrites a name."""

from dataclasses import dataclass

from django.db.models import QuerySet

from evac.operations.models import Operation
from evac.people import latin
from evac.people.models import Citizen


@dataclass(frozen=True)
class NameToFix:
    """A person whose Latin name is not as a passport writes it, with what Evac offers."""

    citizen: Citizen
    surname_offer: str
    given_names_offer: str


def names_not_passport_latin(operation: Operation) -> QuerySet[Citizen]:
    """People whose "Latin" name holds other letters (Cyrillic typed in, accents, digits).

    A regex in the database (Python's on SQLite, POSIX on PostgreSQL): the same pattern as
    people.latin.PASSPORT_LATIN.
    """
    pattern = latin.PASSPORT_LATIN_SQL
    return (
        operation.citizens.exclude(surname__regex=pattern, given_names__regex=pattern)
        .only(
            "reference_code",
            "surname",
            "given_names",
            "nationality",
            "document_issuing_country",
            "status",
        )
        .order_by("surname", "given_names", "pk")
    )


def names_to_fix(operation: Operation, *, limit: int) -> list[NameToFix]:
    rows = []
    for person in names_not_passport_latin(operation)[:limit]:
        country = str(person.document_issuing_country or person.nationality or "")
        rows.append(
            NameToFix(
                citizen=person,
                surname_offer=_offer(person.surname, country),
                given_names_offer=_offer(person.given_names, country),
            )
        )
    return rows


def _offer(name: str, country: str) -> str:
    return "" if latin.is_passport_latin(name) else latin.latin_offer(name, country=country)

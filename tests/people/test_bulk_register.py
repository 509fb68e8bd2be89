"""Registering an import's rows a batch at a time (people.bulk_register): the same rules as
people_register, with duplicates caught within the batch, a bad person never stopping the
good ones, the change history written, and the counts as a plain count says."""

from datetime import date
from itertools import count

import pytest

from evac.core.reference import format_reference_code
from evac.people.bulk_register import Unit, people_register_batch
from evac.people.import_batches import BATCH_ROWS
from evac.people.models import Citizen, Household
from tests.people.test_imports import almaty_in_cyrillic, csv_bytes, run  # noqa: F401
from tests.people.test_people_by_time import assert_kept_is_right
from tests.people.test_people_counts import counted, plain_count

pytestmark = pytest.mark.django_db


def person(surname: str, document: str = "", born: date = date(1984, 3, 9), **more) -> dict:
    return {
        "surname": surname,
        "given_names": "OLENA",
        "date_of_birth": born,
        "sex": "F",
        "nationality": "UA",
        "document_type": "passport" if document else "none",
        "document_number": document,
        "document_issuing_country": "UA" if document else "",
        **more,
    }


def register(operation, bob, almaty, *units: list[dict]) -> list[Unit]:
    return people_register_batch(
        operation=operation,
        source=Citizen.Source.IMPORT,
        by=bob,
        units=[Unit(people=people, place={"current_city": almaty}) for people in units],
    )


def test_the_same_person_twice_in_one_batch_is_registered_once(operation, almaty, bob):
    first, again, namesake = register(
        operation,
        bob,
        almaty,
        [person("KOVAL", "FA000001")],
        [person("KOVALENKO", "fa000001")],  # the same passport, another spelling
        [person("KOVAL")],  # the same name and birth date, no passport
    )

    assert [c.surname for c in first.registered] == ["KOVAL"]
    code = first.registered[0].reference_code
    assert again.registered == [] and again.duplicates == [code]
    assert namesake.registered == [] and namesake.duplicates == [code]
    assert Citizen.objects.filter(operation=operation).count() == 1


def test_someone_already_on_file_is_refused_with_their_code(operation, almaty, bob):
    (on_file,) = register(operation, bob, almaty, [person("KOVAL", "FA000001")])
    (again,) = register(operation, bob, almaty, [person("KOVAL", "FA000001")])

    assert again.duplicates == [on_file.registered[0].reference_code]


def test_a_bad_person_is_refused_and_the_rest_of_the_batch_registered(operation, almaty, bob):
    good, unborn, numbered, family = register(
        operation,
        bob,
        almaty,
        [person("BONDAR")],
        [person("MELNYK", born=date(2100, 1, 1))],  # the model's own check
        # A document number with "no valid document": one of the batch's check constraints.
        [{**person("LYSENKO"), "document_number": "FA999999"}],
        [person("SHEVCHENKO", "FB000001"), person("SHEVCHENKO", "FB000002", born=date(2015, 1, 1))],
    )

    assert unborn.errors == ["A date of birth can't be in the future."]
    assert numbered.errors == ["Give the document number, or choose “No valid document”."]
    assert good.registered and len(family.registered) == 2
    head, child = family.registered
    assert head.household_id == child.household_id
    assert Household.objects.get(pk=head.household_id).head_id == head.pk
    assert set(Citizen.objects.values_list("surname", flat=True)) == {"BONDAR", "SHEVCHENKO"}


def test_a_batch_the_database_refuses_is_registered_person_by_person(
    operation, almaty, bob, monkeypatch
):
    (taken,) = register(operation, bob, almaty, [person("KOVAL", "FA000001")])
    # The next reference code drawn is one already given: the batch's insert fails.
    field = Citizen._meta.get_field("reference_code")
    codes = iter([taken.registered[0].reference_code])
    drawn = count()
    monkeypatch.setattr(field, "default", lambda: next(codes, f"NEW{next(drawn):05d}"))

    first, second = register(operation, bob, almaty, [person("BONDAR")], [person("MELNYK")])

    assert first.registered and second.registered
    assert Citizen.objects.filter(operation=operation).count() == 3


def test_imported_people_and_households_have_their_history(operation, almaty, bob):
    run(operation, bob)

    people = Citizen.objects.filter(operation=operation)
    assert people.count() == 3
    for citizen in people:
        (created,) = citizen.history.all()
        assert (created.history_type, created.history_user, created.surname) == (
            "+",
            bob,
            citizen.surname,
        )
    household = Household.objects.get(operation=operation)
    assert household.history.get().head_id == household.head_id


def test_the_counts_and_the_waiting_list_match_a_plain_count_after_an_import(
    operation, almaty, bob
):
    # More rows than a batch: several batches, families among them, one bad row.
    rows = [
        f"SURNAME{chr(65 + n % 26)}{chr(65 + n // 26)};IVAN;01.01.{1940 + n % 80};"
        f"FA{n:06d};;Almaty;{'F' + str(n // 3) if n % 5 == 0 else ''}"
        for n in range(BATCH_ROWS + 40)
    ]
    rows.append("BAD;ROW;31.02.1980;FZ000001;;Almaty;")
    done = run(operation, bob, content=csv_bytes(rows=rows))

    assert done.rows_error == 1 and done.rows_created == BATCH_ROWS + 40
    assert counted(operation) == plain_count(operation)
    assert_kept_is_right(operation)
    firsts = Citizen.objects.filter(operation=operation, queue_first=True)
    units = {c.household_id or c.pk for c in Citizen.objects.filter(operation=operation)}
    assert firsts.count() == len(units)
    for citizen in Citizen.objects.filter(operation=operation):
        assert citizen.vulnerable_counted == citizen.is_vulnerable


def test_a_refused_duplicate_names_the_person_on_file_in_the_error_file(operation, almaty, bob):
    first = run(operation, bob, content=csv_bytes(rows=["KOVAL;OLENA;01.01.1990;FA1;;Almaty;"]))
    code = Citizen.objects.get(operation=operation).reference_code

    again = run(operation, bob, content=csv_bytes(rows=["KOVAL;OLENA P;01.01.1990;FA1;;Almaty;"]))

    assert first.rows_created == 1 and again.rows_error == 1
    assert format_reference_code(code) in again.error_rows[0][-1]

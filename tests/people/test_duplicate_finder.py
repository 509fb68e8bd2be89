"""The duplicate finder on real-looking lists: the same people spelt in Cyrillic and in two
Latin transliterations, families sharing a phone, namesakes; precision and recall measured
with a fixed seed."""

import random
from datetime import date, timedelta

import pytest
from django.urls import reverse

from evac.people.duplicates import Record, find_pairs, likely_pairs, name_key
from evac.people.latin import Standard, transliterate
from tests.factories import make_citizen

SURNAMES = [
    "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Шевчук",
    "Поліщук", "Бойко", "Мельник", "Коваль", "Лисенко", "Руденко", "Савченко", "Петренко",
    "Марченко", "Захарченко", "Юрченко", "Яковенко", "Гнатюк", "Щербак", "Кузьменко",
]  # fmt: skip
GIVEN = [
    "Олена", "Юлія", "Тарас", "Ярослав", "Ірина", "Олексій", "Наталія", "Євген", "Андрій",
    "Марія", "Сергій", "Ганна", "Дмитро", "Катерина", "Юрій", "Оксана", "Віктор", "Людмила",
]  # fmt: skip


def person(rng: random.Random, pk: int) -> tuple[str, str, date]:
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 80))
    return rng.choice(SURNAMES), rng.choice(GIVEN), born


def record(pk, surname, given, born, *, document="", phone="", native=("", ""), household=None):
    names = {name_key(surname, given, country="UA")}
    if native[0]:
        names.add(name_key(*native, country="UA"))
    return Record(pk, f"R{pk}", tuple(sorted(names)), born, document, phone, household)


def generated(seed: int = 17, people: int = 3000, repeated: float = 0.25):
    """Records and the set of true pairs: a quarter of the people on a second list, spelt
    by another standard or in Cyrillic, with or without their passport; a tenth with a
    family member on the same phone."""
    rng = random.Random(seed)
    records, truth, pk = [], set(), 0
    for _ in range(people):
        surname, given, born = person(rng, pk)
        pk += 1
        phone = f"+38067{rng.randrange(10**7):07d}"
        document = f"F{rng.choice('ABCDEK')}{rng.randrange(10**6):06d}"
        latin = transliterate(f"{surname} {given}", standard=Standard.UKRAINIAN).split(" ", 1)
        records.append(record(pk, *latin, born, document=document, phone=phone))
        original = pk
        if rng.random() < repeated:
            pk += 1
            style = rng.randrange(3)
            if style == 0:  # the ICAO spelling a Russian-speaking operator would type
                other = transliterate(f"{surname} {given}", standard=Standard.ICAO).split(" ", 1)
                records.append(record(pk, *other, born, phone=phone if rng.random() < 0.5 else ""))
            elif style == 1:  # in Cyrillic only, with the passport
                records.append(record(pk, "", "", born, document=document, native=(surname, given)))
            else:  # given name and surname swapped, a typo, no document, same phone
                typo = latin[0][:-1] + "A" if len(latin[0]) > 4 else latin[0]
                records.append(record(pk, latin[1], typo, born, phone=phone))
            truth.add((original, pk))
        if rng.random() < 0.1:  # a child on the parent's phone: not a duplicate
            pk += 1
            child_born = born + timedelta(days=365 * 25)
            records.append(record(pk, latin[0], rng.choice(GIVEN), child_born, phone=phone))
    return records, truth


def test_the_finder_catches_most_duplicates_and_proposes_few_false_pairs():
    records, truth = generated()
    found = {(pair.first, pair.second) for pair in find_pairs(records)}

    caught = len(found & truth)
    precision, recall = caught / len(found), caught / len(truth)
    print(
        f"pairs {len(truth)}, proposed {len(found)}, precision {precision:.3f}, recall {recall:.3f}"
    )
    assert recall >= 0.9
    assert precision >= 0.9


def test_a_pair_says_why():
    born = date(1984, 3, 9)
    latin = record(1, "SHEVCHENKO", "YULIIA", born, document="FA1")
    cyrillic = record(2, "", "", born, document="FA1", native=("Шевченко", "Юлія"))
    russian = record(3, "SHEVCHENKO", "IULIIA", born)

    pairs = {(p.first, p.second): p for p in find_pairs([latin, cyrillic, russian])}

    assert "same document" in pairs[(1, 2)].reasons
    assert pairs[(1, 2)].likelihood > pairs[(1, 3)].likelihood >= 0.6
    assert any("transliteration" in reason for reason in pairs[(1, 3)].reasons)


def test_a_family_on_one_phone_is_not_proposed():
    phone = "+380671234567"
    mother = record(1, "KOVAL", "OLENA", date(1970, 1, 1), phone=phone)
    son = record(2, "KOVAL", "IVAN", date(2001, 1, 1), phone=phone)
    assert find_pairs([mother, son]) == []


@pytest.mark.django_db
def test_the_operation_is_searched_on_demand(operation, almaty):
    first = make_citizen(operation, almaty, surname="SHEVCHENKO", given_names="YULIIA")
    second = make_citizen(
        operation,
        almaty,
        surname="SHEVCHENKO",
        given_names="IULIIA",
        date_of_birth=first.date_of_birth,
    )
    make_citizen(operation, almaty, surname="BONDAR", given_names="PETRO")

    pairs = likely_pairs(operation)

    assert [(p.first, p.second) for p in pairs] == [tuple(sorted((first.pk, second.pk)))]


@pytest.mark.django_db
def test_the_queue_page_lists_the_likely_pairs(client, operation, almaty, carol):
    first = make_citizen(operation, almaty, surname="SHEVCHENKO", given_names="YULIIA")
    make_citizen(
        operation,
        almaty,
        surname="SHEVCHENKO",
        given_names="IULIIA",
        date_of_birth=first.date_of_birth,
    )
    client.force_login(carol)

    page = client.get(reverse("people:duplicates", args=[operation.slug])).content.decode()

    assert "IULIIA" in page and "YULIIA" in page
    assert "after transliteration" in page

"""The demo's synthetic people: who they are, where they stay, and what becomes of them.

Everything is drawn from one seeded `random.Random`, so every run invents the same people
in the same order. Nothing here touches the database: `plan_parties` returns plain field
dicts that the loader hands to the registration services.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from evac.demo import names
from evac.demo.names import to_latin
from evac.demo.timeline import Timeline
from evac.people.models import Citizen, Language
from evac.places.models import City

# Ages and document validity are as on the day the Almaty figure was announced.
REFERENCE_DAY = date(2022, 1, 10)
# The scenario's first days: "about 43 asked for help on 6 January".
ASKED_BY_6_JANUARY = 43
FIRST_REGISTRATION = datetime(2022, 1, 5, 4, 0, tzinfo=UTC)
END_OF_6_JANUARY = datetime(2022, 1, 6, 23, 59, tzinfo=UTC)
LAST_REGISTRATION = datetime(2022, 1, 11, 17, 0, tzinfo=UTC)


class Fate(StrEnum):
    """What happens to a party in the demo's story, from registration to 11 January."""

    FLEW_9_JANUARY = "flew_9_january"
    MISSED_9_JANUARY = "missed_9_january"  # a no-show, booked again on 13 January
    RAIL_TO_13_JANUARY = "rail_to_13_january"  # from Almaty by the group train
    BOOKED_13_JANUARY = "booked_13_january"
    BOOKED_16_JANUARY = "booked_16_january"
    STAYS = "stays"
    STAYS_AFTER_BOOKING = "stays_after_booking"  # gives back a 13 January seat
    LEFT_BY_OWN_MEANS = "left_by_own_means"
    UNREACHABLE = "unreachable"
    WAITING = "waiting"


# The latest a party of each fate can have registered, for the story to hold together.
REGISTERED_BY = {
    Fate.FLEW_9_JANUARY: datetime(2022, 1, 8, 6, 0, tzinfo=UTC),
    Fate.MISSED_9_JANUARY: datetime(2022, 1, 8, 6, 0, tzinfo=UTC),
    Fate.RAIL_TO_13_JANUARY: datetime(2022, 1, 10, 12, 0, tzinfo=UTC),
    Fate.BOOKED_13_JANUARY: datetime(2022, 1, 10, 12, 0, tzinfo=UTC),
    Fate.STAYS_AFTER_BOOKING: datetime(2022, 1, 10, 12, 0, tzinfo=UTC),
    Fate.BOOKED_16_JANUARY: datetime(2022, 1, 11, 8, 0, tzinfo=UTC),
    Fate.UNREACHABLE: datetime(2022, 1, 7, 18, 0, tzinfo=UTC),
    Fate.LEFT_BY_OWN_MEANS: datetime(2022, 1, 8, 18, 0, tzinfo=UTC),
    Fate.STAYS: datetime(2022, 1, 9, 18, 0, tzinfo=UTC),
}


@dataclass(frozen=True)
class Family:
    size: int
    kazakh_spouse: bool = False


@dataclass(frozen=True)
class Part:
    """A slice of the story: these families and single travellers, in this city, share a fate."""

    fate: Fate
    city: str
    families: tuple[Family, ...] = ()
    singles: int = 0


def _families(*sizes: int) -> tuple[Family, ...]:
    return tuple(Family(size) for size in sizes)


ALMATY, NUR_SULTAN = "almaty", "nur_sultan"
# The whole cast. The numbers are the scenario's: 33 flew on 9 January (from Almaty by the
# group train to Nur-Sultan), 116 wait in Almaty, 12 hold seats on 13 January (eight of them
# came from Almaty by rail), 4 stay.
STORY = (
    Part(
        Fate.FLEW_9_JANUARY,
        ALMATY,
        (Family(4), Family(3, kazakh_spouse=True), *_families(3, 2, 2)),
        singles=19,
    ),
    Part(Fate.MISSED_9_JANUARY, NUR_SULTAN, singles=1),
    Part(Fate.RAIL_TO_13_JANUARY, ALMATY, _families(4, 2), singles=2),
    Part(Fate.BOOKED_13_JANUARY, NUR_SULTAN, _families(2), singles=1),
    Part(Fate.BOOKED_16_JANUARY, NUR_SULTAN, _families(3)),
    Part(Fate.STAYS, ALMATY, (Family(2, kazakh_spouse=True),), singles=1),
    Part(Fate.STAYS_AFTER_BOOKING, NUR_SULTAN, singles=1),
    Part(Fate.LEFT_BY_OWN_MEANS, ALMATY, singles=1),
    Part(Fate.UNREACHABLE, ALMATY, singles=1),
    Part(
        Fate.WAITING,
        ALMATY,
        (
            Family(5),
            Family(4, kazakh_spouse=True),
            *_families(4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2),
        ),
        singles=68,
    ),
)

STREETS = {
    ALMATY: ("Nauryz", "Shabyt", "Koktem", "Tulpar", "Samal", "Zhuldyz", "Karasay", "Almaly"),
    NUR_SULTAN: ("Akbulak", "Zhenis", "Koktal", "Orynbor", "Saryarka", "Kosmonavt", "Yessil"),
}
LODGINGS = {
    ALMATY: ("Guest house Shabyt", "Hotel Zhuldyz", "Hostel Alatau Lane", "Hotel Tulpar"),
    NUR_SULTAN: ("Hotel Akbulak", "Guest house Koktal", "Hostel Yessil Riverside"),
}
MEDICAL_NEEDS = (
    "Type 1 diabetes; insulin for about a week.",
    "Asthma; needs an inhaler refill.",
    "Hypertension, daily medication running out.",
    "Heart surgery in 2021; carries the discharge papers.",
    "Epilepsy; medication for ten days.",
    "Kidney disease; dialysis twice a week.",
)
PASSPORT_SERIES = ("FA", "FB", "FE", "FH", "FK", "FM", "FP", "FR", "FS", "FT", "FU", "FX")
UA_MOBILE = ("50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99")
KZ_MOBILE = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "777", "778")
# Reserved for examples (RFC 2606): a demo that sends real e-mail reaches nobody.
MAIL_DOMAINS = ("example.com", "example.net", "example.org")


@dataclass
class Party:
    """People who register together: a household (the first member is its head) or one person."""

    fate: Fate
    members: list[dict[str, Any]]
    source: str
    registered_at: datetime = FIRST_REGISTRATION
    is_household: bool = False

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class _Traits:
    """What family members share."""

    surname: str | tuple[str, str]
    city: City
    address: str
    language: str = Language.UKRAINIAN


class Cast:
    """Invents the demo's people from one seeded random generator."""

    def __init__(self, rng: random.Random, cities: dict[str, City]) -> None:
        self.rng = rng
        self.cities = cities

    # Parties -----------------------------------------------------------------------

    def parties(self) -> list[Party]:
        parties = []
        for part in STORY:
            parties += [self.family(part, family) for family in part.families]
            parties += [self.single(part) for _ in range(part.singles)]
        self._give_two_people_no_passport(parties)
        self._schedule_registrations(parties)
        return parties

    def family(self, part: Part, family: Family) -> Party:
        traits = self._traits(part.city)
        head_sex = self.rng.choice("FM")
        head = self.person(traits, head_sex, self.rng.randint(27, 52))
        members = [head]
        if family.kazakh_spouse:
            members.append(self.kazakh_spouse(traits, "M" if head_sex == "F" else "F"))
        elif family.size == 2 and self.rng.random() < 0.3:
            members.append(self.child(traits))  # a parent travelling with a child
        else:
            spouse_sex = "M" if head_sex == "F" else "F"
            members.append(self.person(traits, spouse_sex, self.rng.randint(25, 52)))
        if family.size == 5:
            members.append(self.person(traits, self.rng.choice("FM"), self.rng.randint(66, 81)))
        while len(members) < family.size:
            members.append(self.child(traits))
        return Party(part.fate, members, self._source(), is_household=True)

    def single(self, part: Part) -> Party:
        traits = self._traits(part.city)
        low, high = self.rng.choices(
            [(18, 29), (30, 59), (60, 64), (65, 82)], weights=[30, 50, 7, 13]
        )[0]
        person = self.person(traits, self.rng.choice("FM"), self.rng.randint(low, high))
        return Party(part.fate, [person], self._source())

    # People ------------------------------------------------------------------------

    def person(self, traits: _Traits, sex: str, age: int) -> dict[str, Any]:
        if age >= 65:
            given = self.rng.choice(names.OLDER_WOMEN if sex == "F" else names.OLDER_MEN)
        else:
            given = self.rng.choice(names.WOMEN if sex == "F" else names.MEN)
        surname = traits.surname
        if isinstance(surname, tuple):
            surname = surname[1] if sex == "F" else surname[0]
        born = self._born(age)
        fields = {
            "surname": to_latin(surname),
            "given_names": to_latin(given),
            "surname_native": surname,
            "given_names_native": given,
            "date_of_birth": born,
            "sex": sex,
            "nationality": "UA",
            **self._ukrainian_document(age),
            **self._contacts(to_latin(given), to_latin(surname), "UA"),
            "preferred_language": traits.language,
            "current_city": traits.city,
            "temporary_address": traits.address,
            **self._vulnerability(sex, age),
        }
        return self._choose_channel(fields)

    def child(self, traits: _Traits) -> dict[str, Any]:
        age = self.rng.randint(0, 16)
        sex = self.rng.choice("FM")
        fields = self.person(traits, sex, age)
        given = self.rng.choice(names.GIRLS if sex == "F" else names.BOYS)
        fields.update(given_names=to_latin(given), given_names_native=given)
        # Children are reached through their parents.
        fields.update(phone="", email="", preferred_channel=Citizen.Channel.SMS)
        fields.update(medical_need=False, medical_details="", reduced_mobility=False)
        fields["pregnant"] = False
        return fields

    def kazakh_spouse(self, traits: _Traits, sex: str) -> dict[str, Any]:
        pool = names.KAZAKH_WIVES if sex == "F" else names.KAZAKH_HUSBANDS
        surname, given, surname_native, given_native = self.rng.choice(pool)
        fields = {
            "surname": surname,
            "given_names": given,
            "surname_native": surname_native,
            "given_names_native": given_native,
            "date_of_birth": self._born(self.rng.randint(26, 50)),
            "sex": sex,
            "nationality": "KZ",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"N{self.rng.randint(10_000_000, 99_999_999)}",
            "document_issuing_country": "KZ",
            "document_expires_on": REFERENCE_DAY + timedelta(days=self.rng.randint(200, 3500)),
            **self._contacts(given, surname, "KZ"),
            "preferred_language": Language.RUSSIAN,
            "current_city": traits.city,
            "temporary_address": traits.address,
        }
        return self._choose_channel(fields)

    # Details -----------------------------------------------------------------------

    def _traits(self, city: str) -> _Traits:
        if self.rng.random() < 0.15:
            surname: str | tuple[str, str] = self.rng.choice(names.SURNAME_PAIRS)
        else:
            surname = self.rng.choice(names.SURNAMES)
        language = self.rng.choices(
            [Language.UKRAINIAN, Language.RUSSIAN, Language.ENGLISH], weights=[78, 19, 3]
        )[0]
        return _Traits(surname, self.cities[city], self._address(city), language)

    def _address(self, city: str) -> str:
        town = self.cities[city].name
        if self.rng.random() < 0.35:
            room = self.rng.randint(101, 512)
            return f"{self.rng.choice(LODGINGS[city])}, room {room}, {town}"
        street = self.rng.choice(STREETS[city])
        house, flat = self.rng.randint(2, 180), self.rng.randint(1, 120)
        return f"{house} {street} Street, apt {flat}, {town}"

    def _born(self, age: int) -> date:
        """A birthday that makes the person exactly `age` on the reference day."""
        birthday = REFERENCE_DAY.replace(year=REFERENCE_DAY.year - age)
        return birthday - timedelta(days=self.rng.randint(1, 360))

    def _ukrainian_document(self, age: int) -> dict[str, Any]:
        if age >= 18 and self.rng.random() < 0.04:
            kind, number = Citizen.DocumentType.NATIONAL_ID, f"{self.rng.randint(1, 9**8):09d}"
        else:
            series = self.rng.choice(PASSPORT_SERIES)
            kind, number = (
                Citizen.DocumentType.PASSPORT,
                f"{series}{self.rng.randint(0, 999_999):06d}",
            )
        # A child's passport is issued for four years, an adult's for ten.
        valid_days = 1400 if age < 16 else 3600
        return {
            "document_type": kind,
            "document_number": number,
            "document_issuing_country": "UA",
            "document_expires_on": REFERENCE_DAY + timedelta(days=self.rng.randint(45, valid_days)),
        }

    def _contacts(self, given: str, surname: str, country: str) -> dict[str, Any]:
        # Many had bought a local SIM card: roaming was expensive and often cut off.
        if country == "KZ" or self.rng.random() < 0.4:
            phone = f"+7{self.rng.choice(KZ_MOBILE)}{self.rng.randint(0, 9_999_999):07d}"
        else:
            phone = f"+380{self.rng.choice(UA_MOBILE)}{self.rng.randint(0, 9_999_999):07d}"
        email = ""
        if self.rng.random() < 0.35:
            local = f"{given}.{surname}".lower().replace("'", "")
            email = f"{local}{self.rng.randint(1, 99)}@{self.rng.choice(MAIL_DOMAINS)}"
        return {"phone": phone, "email": email}

    def _choose_channel(self, fields: dict[str, Any]) -> dict[str, Any]:
        roll = self.rng.random()
        if fields["email"] and roll < 0.25:
            fields["preferred_channel"] = Citizen.Channel.EMAIL
        elif roll > 0.88:
            fields["preferred_channel"] = Citizen.Channel.PHONE
        else:
            # Mobile data came and went that week; a text got through when little else did.
            fields["preferred_channel"] = Citizen.Channel.SMS
        return fields

    def _vulnerability(self, sex: str, age: int) -> dict[str, Any]:
        elderly = age >= 65
        medical = self.rng.random() < (0.2 if elderly else 0.05)
        return {
            "medical_need": medical,
            "medical_details": self.rng.choice(MEDICAL_NEEDS) if medical else "",
            "reduced_mobility": self.rng.random() < (0.25 if elderly else 0.02),
            "pregnant": sex == "F" and 22 <= age <= 40 and self.rng.random() < 0.1,
        }

    def _source(self) -> str:
        if self.rng.random() < 0.2:
            return Citizen.Source.SELF_REGISTRATION
        return Citizen.Source.STAFF_INTAKE

    def _give_two_people_no_passport(self, parties: list[Party]) -> None:
        """One person lost everything in the unrest; another already has a return certificate."""
        waiting = [p for p in parties if p.fate == Fate.WAITING and not p.is_household]
        lost, certified = waiting[0].members[0], waiting[1].members[0]
        lost.update(document_type=Citizen.DocumentType.NONE, document_number="")
        lost.update(document_issuing_country="", document_expires_on=None)
        lost["notes"] = "Passport stolen on {jan6}; needs a certificate of return."
        certified.update(document_type=Citizen.DocumentType.TRAVEL_DOCUMENT)
        certified.update(document_number="KZ0001734", document_issuing_country="UA")
        certified["document_expires_on"] = date(2022, 2, 10)
        certified["notes"] = "Passport lost; certificate of return issued by the embassy."

    def _schedule_registrations(self, parties: list[Party]) -> None:
        """Registration times: exactly 43 people by the end of 6 January, the rest by the 11th.

        The first to ask were passengers of the cancelled flights, so the people who flew on
        9 January come first; the rest of the early callers are drawn at random.
        """
        order = [p for p in parties if p.fate in (Fate.FLEW_9_JANUARY, Fate.MISSED_9_JANUARY)]
        rest = [p for p in parties if p not in order]
        self.rng.shuffle(rest)
        early = 0
        for party in order + rest:
            if early + party.size <= ASKED_BY_6_JANUARY:
                early += party.size
                party.registered_at = self._moment(FIRST_REGISTRATION, END_OF_6_JANUARY)
            else:
                latest = REGISTERED_BY.get(party.fate, LAST_REGISTRATION)
                party.registered_at = self._moment(END_OF_6_JANUARY, latest)

    def _moment(self, start: datetime, end: datetime) -> datetime:
        minutes = int((end - start).total_seconds() // 60)
        return start + timedelta(minutes=self.rng.randint(1, minutes))


def plan_parties(seed: int, cities: dict[str, City], timeline: Timeline) -> list[Party]:
    """Everybody in the demo, in the order they registered, moved to the timeline."""
    # A seeded generator on purpose: the same invented people on every run.
    parties = Cast(random.Random(seed), cities).parties()  # noqa: S311
    for party in parties:
        _move(party, timeline)
    return sorted(parties, key=lambda p: p.registered_at)


MOVING_DATES = ("date_of_birth", "document_expires_on")


def _move(party: Party, timeline: Timeline) -> None:
    """Registration, ages and documents' validity as they were that week, on the timeline."""
    party.registered_at = timeline.at(party.registered_at)
    days = timeline.january()
    for member in party.members:
        for name in MOVING_DATES:
            if member.get(name):
                member[name] = timeline.day(member[name])
        if member.get("notes"):
            member["notes"] = member["notes"].format(**days)

"""Reads of people that pages, the API and tasks share; all scoped to the reader."""

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from django.conf import settings
from django.db import connections
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet, Sum
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from evac.core.clock import now
from evac.core.reference import ALPHABET as REFERENCE_ALPHABET
from evac.core.reference import LENGTH as REFERENCE_LENGTH
from evac.core.reference import format_reference_code, normalize_reference_code
from evac.operations.models import Operation
from evac.people.merge_models import CitizenMerge, standing_code
from evac.people.models import (
    Citizen,
    CitizenQuerySet,
    ContactLogEntry,
    Household,
    PeopleCount,
)
from evac.places.models import City, city_name_in


def waiting_in(*, operation: Operation, city: City) -> QuerySet[Citizen]:
    return operation.citizens.filter(status=Citizen.Status.WAITING, current_city=city)


# People in numbers: one query for the dashboard, the API's statistics, the staff digest
# and the waiting list's city filter.


@dataclass(frozen=True)
class WaitingInCity:
    city_id: int
    name: str  # in English, as the API and the digest give it
    waiting: int
    vulnerable: int
    name_native: str = ""
    name_ru: str = ""

    @property
    def local_name(self) -> str:
        """In the reader's language, for the staff pages (City.local_name)."""
        return city_name_in(self.name, self.name_native, self.name_ru, get_language() or "en")


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class PeopleCounts:
    by_status: dict[str, int]
    waiting_by_city: list[WaitingInCity]
    # Where most of the operation's people are, for counting registrations by local day.
    main_time_zone: tzinfo

    @property
    def registered(self) -> int:
        return sum(self.by_status.values())

    @property
    def waiting_vulnerable(self) -> int:
        return sum(row.vulnerable for row in self.waiting_by_city)

    @property
    def statuses(self) -> list[StatusCount]:
        return [
            StatusCount(status.value, status.label, self.by_status[status.value])
            for status in Citizen.Status
        ]


def people_counts(operation: Operation) -> PeopleCounts:
    """Counts by status and, for those waiting, by city with the vulnerable among them.

    Read from the operation's maintained counts (people.counts): a few dozen rows, whatever
    the number of people. The vulnerable are as the waiting list last ranked them: birthdays
    move them with the waiting list's hourly refresh.
    """
    rows = (
        PeopleCount.objects.filter(operation=operation)
        .values(
            "status",
            "city",
            "city__name",
            "city__name_native",
            "city__name_ru",
            "city__time_zone",
        )
        .annotate(
            counted=Sum("people"),
            vulnerable_counted=Sum(
                "people", filter=Q(status=Citizen.Status.WAITING, vulnerable=True)
            ),
        )
        .filter(counted__gt=0)
        .order_by()
    )
    by_status = dict.fromkeys(Citizen.Status.values, 0)
    people_by_zone: Counter = Counter()
    waiting: list[WaitingInCity] = []
    for row in rows:
        by_status[row["status"]] += row["counted"]
        people_by_zone[row["city__time_zone"]] += row["counted"]
        if row["status"] == Citizen.Status.WAITING:
            waiting.append(
                WaitingInCity(
                    row["city"],
                    row["city__name"],
                    row["counted"],
                    row["vulnerable_counted"] or 0,
                    row["city__name_native"],
                    row["city__name_ru"],
                )
            )
    waiting.sort(key=lambda row: (-row.waiting, row.name))
    main_zone = people_by_zone.most_common(1)[0][0] if people_by_zone else ZoneInfo("UTC")
    return PeopleCounts(by_status, waiting, main_zone)


def waiting_counted(operation: Operation) -> tuple[int, int]:
    """The waiting list's units and people, from the maintained counts: one short read."""
    totals = PeopleCount.objects.filter(
        operation=operation, status=Citizen.Status.WAITING
    ).aggregate(
        units=Sum("people", filter=Q(first=True), default=0),
        people=Sum("people", default=0),
    )
    return totals["units"], totals["people"]


# The registry ------------------------------------------------------------------------

# How many people one page of the registry shows.
REGISTRY_PAGE_SIZE = 50

# Name of a sort → its ORDER BY. The primary key ends each one, so paging is stable.
# "Last heard from" puts people never contacted first when ascending (the ones to call
# first) and last when descending; the two are exact reverses of each other, so one index
# serves both directions.
REGISTRY_SORTS: dict[str, tuple] = {
    "name": ("surname", "given_names", "pk"),
    "-name": ("-surname", "-given_names", "-pk"),
    "registered_at": ("registered_at", "pk"),
    "-registered_at": ("-registered_at", "-pk"),
    "last_contacted_at": (F("last_contacted_at").asc(nulls_first=True), "pk"),
    "-last_contacted_at": (F("last_contacted_at").desc(nulls_last=True), "-pk"),
    "status": ("status", "surname", "given_names", "pk"),
    "-status": ("-status", "surname", "given_names", "pk"),
    "city": ("current_city__name", "surname", "given_names", "pk"),
    "-city": ("-current_city__name", "surname", "given_names", "pk"),
}
DEFAULT_REGISTRY_SORT = "name"


def phone_regions(operation: Operation) -> tuple[str, ...]:
    """Where a number typed without its country code may be from: here, or home."""
    regions = (
        operation.country.code,
        *operation.phone_regions,
        settings.PHONENUMBER_DEFAULT_REGION or "",
    )
    return tuple(dict.fromkeys(region for region in regions if region))


def registry_rows(operation: Operation) -> CitizenQuerySet:
    """The registry's rows with what each row shows, in the default order; one query a page."""
    return (
        operation.citizens.select_related("current_city", "household")
        .defer("medical_details", "notes", "temporary_address")
        .order_by(*REGISTRY_SORTS[DEFAULT_REGISTRY_SORT])
    )


def registry_cities(operation: Operation) -> QuerySet[City]:
    """Cities worth filtering by: the operation's country's, and any where its people are."""
    someone_there = Citizen.objects.filter(operation=operation, current_city=OuterRef("pk"))
    return City.objects.filter(Q(country=operation.country) | Q(Exists(someone_there)))


def heard_from_before(cutoff: datetime) -> Q:
    """People we last heard from before `cutoff`.

    Registering counts as hearing from a person (they called, wrote or walked in, or filled
    in the form themselves), so someone never contacted since is measured from the moment
    they registered: a person registered an hour ago is not "not contacted for 3 days".
    """
    return Q(last_contacted_at__lt=cutoff) | Q(
        last_contacted_at__isnull=True, registered_at__lt=cutoff
    )


def not_heard_from_for(citizens: CitizenQuerySet, *, days: int) -> CitizenQuerySet:
    """People last heard from more than `days` days ago (see `heard_from_before`)."""
    return citizens.filter(heard_from_before(now() - timedelta(days=days)))


def search_citizens(
    citizens: CitizenQuerySet, text: str, *, phone_regions: tuple[str, ...] = ()
) -> CitizenQuerySet:
    """People whose name, document, phone or reference code matches what was typed.

    - every word is the start of a surname or given name, in Latin or native script, in
      any case ("koval ol", "Коваль"), when no digit was typed;
    - a document number, ignoring case, spaces and dashes, when a digit was typed;
    - a phone number in any formatting ("+7 701 234-56-78", "8 (701) 2345678"), read as
      dialled in one of `phone_regions`; or part of one ("234 56 78"), by its digits;
    - a reference code with or without its dash, in any case ("abcd-efgh").
    """
    text = text.strip()
    if not text:
        return citizens
    # Which kinds of match are possible follows from what was typed, so that each search
    # can use its index instead of making PostgreSQL scan every row for the others.
    has_letters = any(ch.isalpha() for ch in text)
    has_digits = any(ch.isdigit() for ch in text)
    match = Q()
    if has_letters and not has_digits:
        match |= _name_matches(text, vendor=connections[citizens.db].vendor)
    if has_digits:
        match |= _document_matches(text)
    if has_digits and not has_letters:
        match |= _phone_matches(text, phone_regions)
    code = normalize_reference_code(text)
    if len(code) == REFERENCE_LENGTH and set(code) <= set(REFERENCE_ALPHABET):
        match |= Q(reference_code=code)
    return citizens.filter(match) if match else citizens.none()


def _name_matches(text: str, *, vendor: str) -> Q:
    every_word = Q()
    for word in text.replace(",", " ").split():
        every_word &= (
            _starts_with("surname", word, vendor)
            | _starts_with("given_names", word, vendor)
            | _starts_with("surname_native", word, vendor)
            | _starts_with("given_names_native", word, vendor)
        )
    return every_word


def _starts_with(field: str, word: str, vendor: str) -> Q:
    # PostgreSQL upper-cases every script, and its UPPER(name) text_pattern_ops indexes
    # (migration 0002) serve a prefix LIKE. SQLite's LIKE folds only ASCII letters, so
    # "коваль" would miss "Коваль"; its REGEXP is Python's re (Django registers it),
    # which folds Cyrillic too. SQLite scans either way.
    if vendor == "sqlite":
        return Q(**{f"{field}__iregex": "^" + re.escape(word)})
    return Q(**{f"{field}__istartswith": word})


def _document_matches(text: str) -> Q:
    compact = re.sub(r"[\s\-]", "", text)
    return Q(document_number__iexact=text) | Q(document_number__iexact=compact)


def _phone_matches(text: str, regions: tuple[str, ...]) -> Q:
    digits = re.sub(r"\D", "", text)
    if len(digits) < MIN_PHONE_DIGITS:
        return Q()
    numbers = set()
    for region in regions:
        try:
            parsed = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            numbers.add(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    if numbers:
        # A whole number: phones are stored in E.164, so an indexed equality finds it.
        return Q(phone__in=numbers)
    # Part of a number ("234 56 78"): look for the digits anywhere, which reads every row.
    return Q(phone__contains=digits)


# Fewer digits than this match too many phone numbers to be a search for one.
MIN_PHONE_DIGITS = 5


@dataclass(frozen=True)
class PossibleDuplicate:
    """Someone about to be registered, and the people already registered they may be."""

    person: dict[str, Any]
    matches: list[Citizen]


def likely_duplicates(
    operation: Operation, people: list[dict[str, Any]]
) -> list[PossibleDuplicate]:
    """Which of `people` (field values) may already be registered: one query for them all.

    A likely duplicate has the same document number (ignoring case), or the same surname,
    given names (ignoring case) and date of birth. People with no match are left out.
    """
    if not people:
        return []
    match = Q()
    for person in people:
        if person.get("document_number"):
            match |= Q(document_number__iexact=person["document_number"])
        match |= Q(
            surname__iexact=person["surname"],
            given_names__iexact=person["given_names"],
            date_of_birth=person["date_of_birth"],
        )
    found = list(operation.citizens.filter(match).select_related("current_city")[:50])
    pairs = [PossibleDuplicate(p, [c for c in found if _same_person(p, c)]) for p in people]
    return [pair for pair in pairs if pair.matches]


def _same_person(person: dict[str, Any], citizen: Citizen) -> bool:
    # The Python twin of the query in likely_duplicates, to say who matched whom.
    number = person.get("document_number")
    if number and citizen.document_number.casefold() == number.casefold():
        return True
    return (
        citizen.surname.casefold() == person["surname"].casefold()
        and citizen.given_names.casefold() == person["given_names"].casefold()
        and citizen.date_of_birth == person["date_of_birth"]
    )


# A person's page -----------------------------------------------------------------------


def citizen_for_page(operation: Operation, code: str) -> Citizen | None:
    """The person behind a reference code as typed in a URL (any case, with or without dash),
    or a code of a record merged into theirs."""
    code = normalize_reference_code(code)
    people = operation.citizens.select_related("current_city", "household")
    found = people.filter(reference_code=code).first()
    if found is None:
        found = people.filter(reference_code=standing_code(operation.pk, code)).first()
    return found


def household_members(citizen: Citizen) -> list[Citizen]:
    """The others in this person's household, head first."""
    if citizen.household_id is None:
        return []
    head_id = citizen.household.head_id
    others = citizen.household.members.exclude(pk=citizen.pk).select_related("current_city")
    return sorted(others, key=lambda m: (m.pk != head_id, m.surname, m.given_names, m.pk))


def citizen_bookings(citizen: Citizen) -> list[Model]:
    """Every seat (flights' Booking) this person has held, the latest flight first."""
    return list(
        citizen.bookings.select_related(
            "flight__departure_airport__city", "flight__arrival_airport__city"
        ).order_by("-flight__departs_at", "-pk")
    )


def contact_log(citizen: Citizen) -> list[ContactLogEntry]:
    return list(citizen.contacts.select_related("by").order_by("-at", "-pk"))


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    by: Any  # the user, or None when Evac itself made the change
    created: bool
    changes: list[FieldChange]
    # The reference code of a record merged into this one, for its entries; "" for its own.
    merged_from: str = ""


def citizen_history(
    citizen: Citizen, *, withheld: Collection[str], zone: tzinfo | None = None
) -> list[HistoryEntry]:
    """Who changed what and when, newest first: each record diffed against the one before.

    The history of every record merged into this one (while the merge stands) comes too,
    each entry marked with that record's code: merging keeps both records' histories.
    One query for the records with their users, and at most one each to name the cities
    and households that appear in the changes, however long the history is. Times within
    the changes are shown in `zone` (the page's time zone). A change to a field in
    `withheld` (privacy.withheld_fields of the reader) is listed without its values, so the
    history says that it changed and when, but not what it said.
    """
    merged = dict(
        CitizenMerge.objects.filter(kept_id=citizen.pk, undone_at=None).values_list(
            "dropped_id", "dropped_reference_code"
        )
    )
    records = list(
        Citizen.history.filter(id__in=[citizen.pk, *merged])
        .select_related("history_user")
        .order_by("history_date", "pk")
    )
    previous_of: dict[int, Any] = {}
    diffs = []
    for record in records:
        previous = previous_of.get(record.id)
        diffs.append(record.diff_against(previous).changes if previous is not None else [])
        previous_of[record.id] = record
    names = _related_names(diffs)
    entries = [
        HistoryEntry(
            at=record.history_date,
            by=record.history_user,
            created=record.history_type == "+",
            changes=[_field_change(change, names, zone, withheld) for change in diff],
            merged_from=format_reference_code(merged[record.id]) if record.id in merged else "",
        )
        for record, diff in zip(records, diffs, strict=True)
    ]
    return [e for e in reversed(entries) if e.created or e.changes]


def _related_names(diffs: list) -> dict[tuple[str, int], str]:
    ids: dict[str, set[int]] = {"current_city": set(), "household": set()}
    for diff in diffs:
        for change in diff:
            if change.field in ids:
                ids[change.field] |= {v for v in (change.old, change.new) if v is not None}
    names: dict[tuple[str, int], str] = {}
    if ids["current_city"]:
        for city in City.objects.filter(pk__in=ids["current_city"]):
            names["current_city", city.pk] = city.local_name
    if ids["household"]:
        households = Household.objects.filter(pk__in=ids["household"]).select_related("head")
        for household in households:
            names["household", household.pk] = str(household)
    return names


# Shown instead of the old and new values of a field the reader may not see.
WITHHELD_VALUE = _("not shown to your role")


def _field_change(
    change, names: dict[tuple[str, int], str], zone: tzinfo | None, withheld: Collection[str]
) -> FieldChange:
    field = Citizen._meta.get_field(change.field)
    if change.field in withheld:
        hidden = str(WITHHELD_VALUE)
        return FieldChange(change.field, str(field.verbose_name), hidden, hidden)
    return FieldChange(
        field=change.field,
        label=str(field.verbose_name),
        old=_shown(field, change.old, names, zone),
        new=_shown(field, change.new, names, zone),
    )


def _shown(field, value: Any, names: dict[tuple[str, int], str], zone: tzinfo | None) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return names.get((field.name, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Country):
        return str(value.name)
    if isinstance(value, datetime):
        # Date formats are in the catalogue: each language writes a date its own way.
        return formats.date_format(localtime(value, zone), str(_("j M Y H:i")))
    if isinstance(value, date):
        return formats.date_format(value, str(_("j M Y")))
    return str(value)


# Data checks -----------------------------------------------------------------------------

"""Finding the same person twice: pairs of records scored, with the reasons in words.

Lists arrive from a hotline, a partner and a tour operator, and the same woman is
"SHEVCHENKO OLENA" in one, "Шевченко Олена" in another and "Shevchenko Olena" when she
calls. A pair is scored on the same document number, the same phone, and the names equal
after transliteration and normalisation (rapidfuzz's distance) together with the birth
date. Only records that share a block are compared (a document, a phone, or the first
letters of the surname with the birth year), never all pairs: 100,000 people cost a few
hundred thousand comparisons, not five billion.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop
from rapidfuzz import fuzz

from evac.audit.models import AccessAction, AccessObjectKind
from evac.audit.services import access_log_record
from evac.core.actor import user_of
from evac.core.requests import Caller
from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation
from evac.people.latin import has_foreign_letters, latin_offer
from evac.people.models import Citizen, DismissedPair, DuplicatePair

# A block bigger than this (a hotel's switchboard phone shared by 300 people) is not all
# compared: its first BLOCK_LIMIT members only. The other blocks still pair them.
BLOCK_LIMIT = 60
LIKELY = 0.6  # what the staff queue shows
NAME_CLOSE = 88  # rapidfuzz ratio (0–100) from which two names read as the same
# The reasons, in English: stored with a pair (DuplicatePair.reasons), translated when shown.
SAME_DOCUMENT = gettext_noop("same document")
SAME_NAME = gettext_noop("same name after transliteration, same birth date")
CLOSE_NAME = gettext_noop("name ≈ after transliteration, same birth date")
SAME_PHONE = gettext_noop("same phone")
SAME_HOUSEHOLD = gettext_noop("in the same household")
# More changed records than this and the whole operation is scored again instead (an import).
TARGETED_LIMIT = 200

FIELDS = (
    "pk",
    "reference_code",
    "surname",
    "given_names",
    "surname_native",
    "given_names_native",
    "date_of_birth",
    "document_number",
    "phone",
    "household_id",
    "nationality",
)


@dataclass(frozen=True)
class Record:
    pk: int
    reference_code: str
    names: tuple[str, ...]  # the normalised full names this record can be known by
    born: date | None
    document: str
    phone: str
    household_id: int | None


@dataclass(frozen=True)
class Pair:
    first: int
    second: int
    likelihood: float
    reasons: tuple[str, ...]


def name_key(surname: str, given: str, *, country: str = "") -> str:
    """A name in one spelling: passport Latin, then the letters that transliterations
    disagree on made one (Y/I, KH/H, IE/E…), words sorted, so that Шевченко Олена,
    SHEVCHENKO OLENA and Olena Shevchenko meet."""
    text = f"{surname} {given}".strip()
    if has_foreign_letters(text):
        text = latin_offer(text, country=country)
    text = text.upper()
    for old, new in (("KH", "H"), ("IE", "E"), ("YE", "E"), ("Y", "I"), ("J", "I"), ("W", "V")):
        text = text.replace(old, new)
    text = "".join(c for c in text if c.isalpha() or c == " ")
    # "II" (YULIIA, IULIIA) and doubled letters typed once.
    squeezed = "".join(c for i, c in enumerate(text) if i == 0 or c != text[i - 1])
    return " ".join(sorted(squeezed.split()))


def record_of(row: dict) -> Record:
    country = str(row.get("nationality") or "")
    names = {name_key(row["surname"], row["given_names"], country=country)}
    if row.get("surname_native"):
        names.add(name_key(row["surname_native"], row["given_names_native"], country=country))
    return Record(
        pk=row["pk"],
        reference_code=row["reference_code"],
        names=tuple(sorted(n for n in names if n)),
        born=row["date_of_birth"],
        document="".join((row["document_number"] or "").split()).upper(),
        phone=str(row["phone"] or ""),
        household_id=row["household_id"],
    )


def _blocks(records: Iterable[Record]) -> Iterator[list[Record]]:
    blocks: dict[tuple, list[Record]] = defaultdict(list)
    for record in records:
        if record.document:
            blocks[("doc", record.document)].append(record)
        if record.phone:
            blocks[("phone", record.phone)].append(record)
        if record.born:
            for name in record.names:
                blocks[("name", name[:3], record.born.year)].append(record)
    for block in blocks.values():
        if len(block) > 1:
            yield block[:BLOCK_LIMIT]


def score(a: Record, b: Record) -> Pair | None:
    """How likely two records are one person, and why; None when nothing speaks for it."""
    reasons: list[str] = []
    likelihood = 0.0
    closeness = max((fuzz.ratio(x, y) for x in a.names for y in b.names), default=0.0)
    same_born = a.born is not None and a.born == b.born
    if a.document and a.document == b.document:
        likelihood = max(likelihood, 0.95)
        reasons.append(SAME_DOCUMENT)
    if closeness >= NAME_CLOSE and same_born:
        likelihood = max(likelihood, 0.6 + 0.35 * (closeness - NAME_CLOSE) / (100 - NAME_CLOSE))
        reasons.append(SAME_NAME if closeness == 100 else CLOSE_NAME)
    if a.phone and a.phone == b.phone:
        # Families share a phone: it speaks for one person only with a close name.
        likelihood = max(likelihood, 0.8 if closeness >= NAME_CLOSE else 0.2)
        reasons.append(SAME_PHONE)
    if a.household_id and a.household_id == b.household_id:
        # Two of one household are rarely one person (twins share a birth date and a phone).
        likelihood *= 0.5
        reasons.append(SAME_HOUSEHOLD)
    if len(reasons) > 1 and likelihood >= LIKELY:
        likelihood = min(0.99, likelihood + 0.03 * (len(reasons) - 1))
    if likelihood <= 0:
        return None
    first, second = sorted((a.pk, b.pk))
    return Pair(first, second, round(likelihood, 3), tuple(reasons))


def find_pairs(records: list[Record], *, threshold: float = LIKELY) -> list[Pair]:
    """Every pair at or above `threshold`, most likely first; each pair scored once."""
    seen: set[tuple[int, int]] = set()
    found: list[Pair] = []
    for block in _blocks(records):
        for a, b in combinations(block, 2):
            key = (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)
            if key in seen or a.pk == b.pk:
                continue
            seen.add(key)
            pair = score(a, b)
            if pair is not None and pair.likelihood >= threshold:
                found.append(pair)
    found.sort(key=lambda p: (-p.likelihood, p.first, p.second))
    return found


def likely_pairs(operation, *, threshold: float = LIKELY) -> list[Pair]:
    """The operation's likely duplicates, on demand: one query, then blocks in memory."""
    rows = Citizen.objects.filter(operation=operation).values(*FIELDS).iterator(chunk_size=5000)
    return find_pairs([record_of(row) for row in rows], threshold=threshold)


def pairs_store(*, operation, citizen_ids: Collection[int] | None = None) -> int:
    """Score again the pairs of the records with `citizen_ids` (registered or changed), or
    of the whole operation (None), and store them for the queue; returns how many stored.

    A few records are compared with the candidates that share a block with them, read by
    document, phone and birth year; many (an import) score the operation once.
    """
    if citizen_ids is not None and len(citizen_ids) <= TARGETED_LIMIT:
        ids = set(citizen_ids)
        changed = list(Citizen.objects.filter(operation=operation, pk__in=ids).values(*FIELDS))
        records = {row["pk"]: record_of(row) for row in changed}
        near = Q(pk__in=[])
        for row in changed:
            if row["document_number"]:
                near |= Q(document_number__iexact=row["document_number"])
            if row["phone"]:
                near |= Q(phone=row["phone"])
            year = row["date_of_birth"].year
            near |= Q(date_of_birth__gte=date(year, 1, 1), date_of_birth__lte=date(year, 12, 31))
        for row in Citizen.objects.filter(near, operation=operation).values(*FIELDS):
            records.setdefault(row["pk"], record_of(row))
        found = [p for p in find_pairs(list(records.values())) if {p.first, p.second} & ids]
        stale = DuplicatePair.objects.filter(Q(first__in=ids) | Q(second__in=ids))
        dismissed = DismissedPair.objects.filter(Q(first__in=ids) | Q(second__in=ids))
    else:
        found = likely_pairs(operation)
        stale = DuplicatePair.objects.filter(operation=operation)
        dismissed = DismissedPair.objects.filter(operation=operation)
    # Pairs staff said are two people never come back.
    judged = set(dismissed.values_list("first_id", "second_id"))
    found = [p for p in found if (p.first, p.second) not in judged]
    with transaction.atomic():
        stale.delete()
        DuplicatePair.objects.bulk_create(
            [
                DuplicatePair(
                    operation=operation,
                    first_id=p.first,
                    second_id=p.second,
                    likelihood=p.likelihood,
                    reasons=list(p.reasons),
                )
                for p in found
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
    return len(found)


# Registering inside pairs_deferred (an import) collects the new records' ids here, to be
# scored once at the end instead of one by one.
_deferred: ContextVar[set[int] | None] = ContextVar("pairs_deferred", default=None)
# The fields a score reads: a change to one of them scores the record again.
SCORED_FIELDS = frozenset(
    {
        "surname",
        "given_names",
        "surname_native",
        "given_names_native",
        "date_of_birth",
        "document_number",
        "phone",
        "nationality",
    }
)


def duplicates_scan(*, operation, by: Actor) -> int:
    """Staff asked: score the whole operation again; returns how many likely pairs."""
    require_permission(by, operation, Permission.EDIT_CITIZENS)
    return pairs_store(operation=operation)


def pair_dismiss(*, pair: DuplicatePair, caller: Caller) -> DismissedPair:
    """Staff judged the two records not to be one person: the pair leaves the queue and is
    never proposed again. Written in the access log of both records."""
    by = caller.user
    require_permission(by, pair.operation, Permission.MERGE_PEOPLE)
    with transaction.atomic():
        dismissed, _created = DismissedPair.objects.get_or_create(
            first_id=pair.first_id,
            second_id=pair.second_id,
            defaults={"operation": pair.operation, "dismissed_by": user_of(by)},
        )
        DuplicatePair.objects.filter(pk=pair.pk).delete()
        for person in Citizen.objects.filter(pk__in=[pair.first_id, pair.second_id]):
            access_log_record(
                caller=caller,
                operation=pair.operation,
                action=AccessAction.PAIR_DISMISSED,
                kind=AccessObjectKind.PERSON,
                object_id=person.pk,
                label=person.reference,
            )
    return dismissed


def pair_undismiss(*, dismissed: DismissedPair, caller: Caller) -> int:
    """Staff judged a pair to be two people by mistake: the judgement is withdrawn, the pair
    is scored again (back in the queue if still likely) and both records' access log says
    who brought it back. Returns how many likely pairs the two records have now."""
    by = caller.user
    require_permission(by, dismissed.operation, Permission.MERGE_PEOPLE)
    with transaction.atomic():
        DismissedPair.objects.filter(pk=dismissed.pk).delete()
        for person in Citizen.objects.filter(pk__in=[dismissed.first_id, dismissed.second_id]):
            access_log_record(
                caller=caller,
                operation=dismissed.operation,
                action=AccessAction.PAIR_RESTORED,
                kind=AccessObjectKind.PERSON,
                object_id=person.pk,
                label=person.reference,
            )
        return pairs_store(
            operation=dismissed.operation,
            citizen_ids=[dismissed.first_id, dismissed.second_id],
        )


def pairs_note(*, operation, citizen_ids: Collection[int]) -> None:
    """Records were registered or changed: score their pairs now, or when the deferring
    block (an import's run) ends."""
    deferred = _deferred.get()
    if deferred is not None:
        deferred.update(citizen_ids)
    else:
        pairs_store(operation=operation, citizen_ids=citizen_ids)


def pairs_score_registered(*, citizen_ids: Collection[int]) -> int:
    """Score the pairs of people registered on the portal (a task, after their registration
    committed); returns how many likely pairs they have. People gone since are skipped."""
    found = 0
    by_operation: dict[int, list[int]] = defaultdict(list)
    for pk, operation_id in Citizen.objects.filter(pk__in=citizen_ids).values_list(
        "pk", "operation_id"
    ):
        by_operation[operation_id].append(pk)
    for operation in Operation.objects.filter(pk__in=by_operation):
        found += pairs_store(operation=operation, citizen_ids=by_operation[operation.pk])
    return found


@contextmanager
def pairs_deferred(*, operation) -> Iterator[None]:
    collected: set[int] = set()
    token = _deferred.set(collected)
    try:
        yield
    finally:
        _deferred.reset(token)
    if collected:
        pairs_store(operation=operation, citizen_ids=collected)

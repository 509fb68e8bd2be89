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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from evac.people.latin import has_foreign_letters, latin_offer
from evac.people.models import Citizen

# A block bigger than this (a hotel's switchboard phone shared by 300 people) is not all
# compared: its first BLOCK_LIMIT members only. The other blocks still pair them.
BLOCK_LIMIT = 60
LIKELY = 0.6  # what the staff queue shows
NAME_CLOSE = 88  # rapidfuzz ratio (0–100) from which two names read as the same

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
        reasons.append(_("same document"))
    if closeness >= NAME_CLOSE and same_born:
        likelihood = max(likelihood, 0.6 + 0.35 * (closeness - NAME_CLOSE) / (100 - NAME_CLOSE))
        reasons.append(
            _("same name after transliteration, same birth date")
            if closeness == 100
            else _("name ≈ after transliteration, same birth date")
        )
    if a.phone and a.phone == b.phone:
        # Families share a phone: it speaks for one person only with a close name.
        likelihood = max(likelihood, 0.8 if closeness >= NAME_CLOSE else 0.2)
        reasons.append(_("same phone"))
    if a.household_id and a.household_id == b.household_id:
        # Two of one household are rarely one person (twins share a birth date and a phone).
        likelihood *= 0.5
        reasons.append(_("in the same household"))
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

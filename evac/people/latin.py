"""Names as a passport writes them in Latin letters, and the transliteration Evac offers.

A manifest, a carrier file and PAXLST carry a person's name as in the travel document, in
the characters a machine-readable zone can hold: A–Z, and (before they become "<") space,
hyphen and apostrophe. Evac refuses anything else in the Latin name fields and offers what
the document would most likely say, never rewriting silently: the person at the desk checks
the offer against the passport in hand.

The offer follows the standard the issuing state uses:

- Ukrainian: the national standard written into Ukrainian passports, Cabinet of Ministers
  of Ukraine resolution No. 55 of 27 January 2010 (Щербак → SHCHERBAK, Юрій → YURII,
  Згорани → ZGHORANY). Є, Ї, Й, Ю, Я are Ye, Yi, Y, Yu, Ya at the start of a word and ie, i,
  i, iu, ia inside it; "зг" is "zgh"; the soft sign and the apostrophe are left out.
- Russian and other Cyrillic: ICAO Doc 9303 (7th edition), part 3, the table for Cyrillic
  (Юлия → IULIIA, Ъ → IE), which Russian passports follow since 2014.
- Kazakh: the shared letters as ICAO, and Ә Ғ Қ Ң Ө Ұ Ү Һ as A G K N O U U H, as
  Kazakhstan's passports print them (Қуанышев → KUANYSHEV).
- Latin letters with diacritics: ICAO Doc 9303's Latin table (Ü → UE, Ø → OE, ß → SS, Ł → L),
  and for any other accented letter its base letter.

Which standard: a Ukrainian-only letter (ґ є і ї) means Ukrainian, a Russian-only letter
(ё ы э ъ) means Russian; otherwise the document's issuing country (or the nationality)
decides, Ukraine meaning the resolution and anything else ICAO. A Kazakh letter means ICAO.
A letter no table writes (another script) gets no offer at all, never a shorter name.
"""

import re
import unicodedata
from enum import StrEnum

# What a Latin name may hold: the MRZ's letters, and the separators passports print.
PASSPORT_LATIN = re.compile(r"^[A-Za-z' -]*$")
# The same, for the database's regex lookup (SQLite's is Python's re, PostgreSQL's POSIX).
PASSPORT_LATIN_SQL = r"^[A-Za-z' -]*$"

# Typographic apostrophes typed for "'" (O’Brien, Мар’їне).
APOSTROPHES = "'’ʼ`´ʻ"


class Standard(StrEnum):
    UKRAINIAN = "kmu-55-2010"
    ICAO = "icao-9303"


_UKRAINIAN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "",
    # Russian letters that turn up in Ukrainian records, written as ICAO does.
    "ё": "e", "ы": "y", "э": "e", "ъ": "",
}  # fmt: skip
# At the start of a word / anywhere else.
_UKRAINIAN_IOTATED = {
    "є": ("ye", "ie"),
    "ї": ("yi", "i"),
    "й": ("y", "i"),
    "ю": ("yu", "iu"),
    "я": ("ya", "ia"),
}

_ICAO_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
    # Other Cyrillic alphabets in the same table.
    "ґ": "g", "є": "ie", "і": "i", "ї": "i", "ў": "u", "ђ": "d", "ѓ": "g", "ѕ": "dz",
    "ј": "j", "љ": "lj", "њ": "nj", "ќ": "k", "ћ": "c", "џ": "dz",
    # Kazakh, as Kazakhstan's passports print it: each letter as its nearest Latin one.
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
}  # fmt: skip

# ICAO Doc 9303's Latin letters that are not simply their base letter.
_ICAO_LATIN = {
    "ä": "ae", "å": "aa", "æ": "ae", "ö": "oe", "ø": "oe", "œ": "oe", "ü": "ue",
    "ß": "ss", "þ": "th", "ð": "d", "ł": "l", "đ": "d", "ı": "i", "ĳ": "ij", "ŋ": "n",
}  # fmt: skip

UKRAINIAN_ONLY = frozenset("ґєії")
# Kazakh's own letters: a Kazakh name, even with an і, is not Ukrainian.
KAZAKH_ONLY = frozenset("әғқңөұүһ")
RUSSIAN_ONLY = frozenset("ёыэъ")


def is_passport_latin(text: str) -> bool:
    return bool(PASSPORT_LATIN.match(text or ""))


def has_foreign_letters(text: str) -> bool:
    """A letter other than A–Z: another script, or a Latin letter with an accent."""
    return any(char.isalpha() and not ("a" <= char.lower() <= "z") for char in text or "")


def standard_for(text: str, *, country: str = "") -> Standard:
    """The standard a passport would have used for `text`, issued by `country` (ISO alpha-2)."""
    letters = set(text.lower())
    if letters & KAZAKH_ONLY:
        return Standard.ICAO
    if letters & UKRAINIAN_ONLY:
        return Standard.UKRAINIAN
    if letters & RUSSIAN_ONLY:
        return Standard.ICAO
    return Standard.UKRAINIAN if country.upper() == "UA" else Standard.ICAO


def transliterate(text: str, *, standard: Standard) -> str:
    """`text` in passport Latin, upper case: only A–Z, space, hyphen and apostrophe remain.

    Apostrophes inside a Cyrillic word are left out (the resolution says so, and ICAO has
    none); between Latin letters (O'Brien) one is kept. Runs of spaces become one.
    """
    out: list[str] = []
    previous = ""
    for index, char in enumerate(text):
        lower = char.lower()
        if lower in _UKRAINIAN_IOTATED and standard == Standard.UKRAINIAN:
            at_start, inside = _UKRAINIAN_IOTATED[lower]
            out.append(inside if _inside_word(previous) else at_start)
        elif lower == "г" and standard == Standard.UKRAINIAN and previous.lower() == "з":
            out.append("gh")  # зг → zgh, so that it does not read as "zh"
        elif lower in _UKRAINIAN and standard == Standard.UKRAINIAN:
            out.append(_UKRAINIAN[lower])
        elif lower in _ICAO_CYRILLIC:
            out.append(_ICAO_CYRILLIC[lower])
        elif char in APOSTROPHES:
            following = text[index + 1 : index + 2]
            if _is_basic_latin(previous) and _is_basic_latin(following):
                out.append("'")
        elif lower in _ICAO_LATIN:
            out.append(_ICAO_LATIN[lower])
        elif char.isspace() or char in "-‐‑–":
            out.append(" " if char.isspace() else "-")
        else:
            out.append(_base_letter(char))
        previous = char
    return " ".join("".join(out).upper().split())


def latin_offer(text: str, *, country: str = "") -> str:
    """What Evac offers for a name that is not passport Latin ("" when it can offer nothing)."""
    # A letter no table writes would vanish from the offer (Қуанышев → UANYSHEV): offer
    # nothing, and staff copy the name from the document.
    if any(_unwritten(char) for char in text):
        return ""
    offer = transliterate(text, standard=standard_for(text, country=country))
    return offer if offer.strip(" -'") else ""


def _unwritten(char: str) -> bool:
    lower = char.lower()
    known = (
        lower in _UKRAINIAN
        or lower in _UKRAINIAN_IOTATED
        or lower in _ICAO_CYRILLIC
        or lower in _ICAO_LATIN
    )
    return char.isalpha() and not known and not _base_letter(char)


def _inside_word(previous: str) -> bool:
    # An apostrophe belongs to the word (Знам'янка → Znamianka), a space or hyphen ends it.
    return bool(previous) and (previous.isalpha() or previous in APOSTROPHES)


def _is_basic_latin(char: str) -> bool:
    return bool(char) and char.isascii() and char.isalpha()


def _base_letter(char: str) -> str:
    """É → E: the letter without its accents, or "" for what has no Latin letter in it."""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if c.isascii() and (c.isalpha()))

"""The staff pages are whole in Ukrainian and in Russian, and English stays the default.

Two checks, as for the citizen portal (tests/portal/test_translations.py). The catalogue:
every string the staff templates (all of templates/ but the portal's) and the code outside
evac/portal mark for translation has a Ukrainian one in the compiled catalogue, so a new
string without a translation fails here. The pages: a coordinator whose browser asks for
Ukrainian walks every staff page, in the states where most of their words show, and no word
in Latin letters may be left on them apart from the data (names, places, codes, what staff
typed) and a few names that stay as they are (Evac, English, acronyms such as SMS or UTC).

Here the catalogue; the pages in test_staff_pages_translated.py, what they say after an
action in test_staff_actions_translated.py, both reading through staff_reading.py.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

# The helpers of the pages' walks, read from here by other areas' tests too.
from tests.core.staff_reading import TRANSLATED, check, reading  # noqa: F401

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def catalogue(language: str) -> dict:
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as compiled:
        return gettext.GNUTranslations(compiled)._catalog


def untranslated(msgids: set, language: str) -> list:
    found = catalogue(language)
    missing = []
    for msgid in msgids:
        # A string with a context is stored as "context\x04msgid"; a plural as (msgid, 0), …
        key = "\x04".join(msgid) if isinstance(msgid, tuple) else msgid
        if not (found.get(key) or found.get((key, 0))):
            missing.append(msgid)
    return sorted(missing, key=str)


# The strings the staff templates and code mark -----------------------------------------

QUOTED = r"""(["'])(.*?)\1"""
TRANSLATE_TAG = re.compile(
    r"{%\s*(?:translate|trans)\s+" + QUOTED + r"(?:\s+context\s+" + QUOTED.replace("1", "3") + ")?"
)
BLOCK_TAG = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b([^%]*)%}(.*?){%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.S,
)
BLOCK_CONTEXT = re.compile(r"\bcontext\s+" + QUOTED)
# _("…") in a filter's argument, e.g. a date format: {{ day|date:_("j F Y") }}
IN_FILTER = re.compile(r"\b_\(" + QUOTED + r"\)")
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
PGETTEXT_NAMES = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def staff_templates() -> list[Path]:
    portal = ROOT / "templates" / "portal"
    # The SMS and e-mail texts are .txt files written in each language, not translated strings.
    return [path for path in (ROOT / "templates").rglob("*.html") if portal not in path.parents]


def staff_modules() -> list[Path]:
    return [
        path
        for path in (ROOT / "evac").rglob("*.py")
        if not {"portal", "migrations"} & set(path.relative_to(ROOT / "evac").parts)
    ]


def block_msgid(options: str, content: str):
    singular = re.split(r"{%\s*plural\s*%}", content)[0]
    if re.search(r"\btrimmed\b", options):
        singular = re.sub(r"\s*\n\s*", " ", singular.strip())
    msgid = VARIABLE.sub(r"%(\1)s", singular.replace("%", "%%"))
    context = BLOCK_CONTEXT.search(options)
    return (context.group(2), msgid) if context else msgid


def template_msgids() -> set:
    found = set()
    for template in staff_templates():
        text = template.read_text()
        for tag in TRANSLATE_TAG.finditer(text):
            found.add((tag.group(4), tag.group(2)) if tag.group(4) else tag.group(2))
        found |= {block_msgid(block.group(1), block.group(2)) for block in BLOCK_TAG.finditer(text)}
        found |= {match.group(2) for match in IN_FILTER.finditer(text)}
    return found


def code_msgids() -> set:
    found = set()
    for module in staff_modules():
        for node in ast.walk(ast.parse(module.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            strings = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if name in GETTEXT_NAMES and strings and isinstance(node.args[0], ast.Constant):
                found.add(strings[0])
            elif name in PGETTEXT_NAMES and len(strings) >= 2:
                found.add((strings[0], strings[1]))
    return found


def test_the_staff_templates_and_code_are_read_as_expected():
    """The readers above find what they must, so an empty set can't pass the check."""
    in_templates, in_code = template_msgids(), code_msgids()
    assert {"Dashboard", "Log out", "Language"} <= in_templates
    assert ("recipient", "To") in in_templates  # {% translate … context … %}
    assert "Boarding %(number)s" in in_templates  # {% blocktranslate with … %}
    assert "%(left)s seat left" in in_templates  # {% blocktranslate count … trimmed %}
    assert "j M Y H:i T" in in_templates  # a date format: {{ …|date:_("…") }}
    assert "Flight %(number)s created." in in_code
    assert "Household of %(head)s" in in_code  # gettext_lazy, in a model
    assert ("flight action", "Open for booking") in in_code
    assert not any(isinstance(m, str) and "portal" in m.lower() for m in in_code)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_of_the_staff_templates_and_code_is_translated(language):
    assert untranslated(template_msgids() | code_msgids(), language) == []


def test_ukrainian_plurals_follow_the_number():
    with (ROOT / "locale/uk/LC_MESSAGES/django.mo").open("rb") as compiled:
        found = gettext.GNUTranslations(compiled)
    msgid, plural = "%(counter)s person", "%(counter)s people"
    said = {n: found.ngettext(msgid, plural, n) % {"counter": n} for n in (1, 3, 5, 11, 21, 22)}
    assert said == {
        1: "1 особа",
        3: "3 особи",
        5: "5 осіб",
        11: "11 осіб",
        21: "21 особа",
        22: "22 особи",
    }


# The pages, as a Ukrainian coordinator meets them ----------------------------------------


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_every_form_of_a_translation_names_the_same_placeholders(language):
    """What msgfmt --check asks: a form that drops a placeholder (the count of a plural)
    reads wrong for the numbers that land on it, and one that adds a name fails."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    forms: dict[str, list[set[str]]] = {}
    wrong = []
    for key, translated in catalog.items():
        if not key:
            continue  # the header
        if isinstance(key, tuple):
            forms.setdefault(key[0], []).append(set(PLACEHOLDER.findall(translated)))
        elif set(PLACEHOLDER.findall(translated)) != set(PLACEHOLDER.findall(key)):
            wrong.append(key)
    for msgid, named in forms.items():
        if (
            any(names != named[0] for names in named)
            or not set(PLACEHOLDER.findall(msgid)) <= named[0]
        ):
            wrong.append(msgid)
    assert wrong == []

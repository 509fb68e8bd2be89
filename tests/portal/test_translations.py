"""The portal is whole in every language it offers: no English left on a translated page.

Two checks. The catalogues: every string the portal's templates and code mark for
translation has one in each compiled catalogue (locale/<language>/LC_MESSAGES/django.mo),
and every label, help text, error message and choice its forms and pages take from the models
reads differently from English, so a new string without a translation fails here. The pages:
each page, in each state a citizen meets it, is rendered in English and in the other
language, and no English text of the English page may be left on the other one, apart from
the data (names, codes, flight numbers, places, what the person or the staff typed).

Here the catalogues; the pages in test_pages_translated.py.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from evac.flights.models import Booking, Flight
from evac.people.models import Citizen
from evac.portal.forms import (
    CodeForm,
    CodeRequestForm,
    ContactsForm,
    LookupForm,
    PeopleFormSet,
    PlaceForm,
)

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


def catalogue(language: str) -> dict:
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as compiled:
        return gettext.GNUTranslations(compiled)._catalog


def untranslated(msgids: set[str], language: str) -> list[str]:
    found = catalogue(language)
    # A plural entry is stored under (msgid, 0), (msgid, 1), …
    return sorted(m for m in msgids if not (found.get(m) or found.get((m, 0))))


# The strings the portal's templates and code mark ---------------------------------------

TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1""")
BLOCK_TAG = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b[^%]*%}(.*?){%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.S,
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}


def template_msgids() -> set[str]:
    found = set()
    for template in (ROOT / "templates" / "portal").glob("*.html"):
        text = template.read_text()
        found |= {m.group(2) for m in TRANSLATE_TAG.finditer(text)}
        for block in BLOCK_TAG.finditer(text):
            singular = re.split(r"{%\s*plural\s*%}", block.group(1))[0]
            found.add(VARIABLE.sub(r"%(\1)s", singular))
    return found


def code_msgids() -> set[str]:
    found = set()
    for module in (ROOT / "evac" / "portal").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_NAMES
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_the_portal_templates_and_code_are_read_as_expected():
    """The two readers above find what they must, so an empty set can't pass the checks."""
    assert "I am stranded: register" in template_msgids()
    assert "local time, %(zone)s" in template_msgids()
    assert "Person %(n)s with you" in template_msgids()
    assert "Give your own details first." in code_msgids()
    assert "Reference code" in code_msgids()


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_of_the_portal_templates_and_code_is_translated(language):
    assert untranslated(template_msgids() | code_msgids(), language) == []


# What the forms and pages show from the models ------------------------------------------

# Names that are shown as they are: countries come translated from django-countries, and
# each language is offered in its own words.
SHOWN_AS_THEY_ARE = {"nationality", "preferred_language"}
# The seat statuses the status page can show: an active booking, up to departure.
ACTIVE_SEAT_STATUSES = [
    Booking.Status.BOOKED,
    Booking.Status.CONFIRMED,
    Booking.Status.CHECKED_IN,
    Booking.Status.BOARDED,
    Booking.Status.NO_SHOW,
]
SAME_IN_EVERY_LANGUAGE = {"SMS"}


def shown_by_the_forms(operation) -> list:
    """Labels, help texts, error messages and choices, still lazy: each language reads them."""
    forms = [
        PeopleFormSet(prefix="people").forms[0],
        PlaceForm(operation=operation),
        LookupForm(),
        CodeForm(),
        CodeRequestForm(choices=[]),
        ContactsForm(citizen=Citizen(), phone_regions=()),
    ]
    texts = []
    for form in forms:
        for name, field in form.fields.items():
            texts += [field.label, field.help_text, *field.error_messages.values()]
            if name not in SHOWN_AS_THEY_ARE:
                texts += [label for value, label in getattr(field, "choices", []) if value]
    return [text for text in texts if text]


def shown_as_statuses() -> list:
    seat = dict(Booking.Status.choices)
    return [
        *(label for _value, label in Citizen.Status.choices),
        *(label for _value, label in Flight.Status.choices),
        *(seat[status] for status in ACTIVE_SEAT_STATUSES),
    ]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_label_help_text_and_choice_the_portal_shows_is_translated(operation, language):
    """Ours or Django's ("This field is required."), each must read differently from English."""
    shown = shown_by_the_forms(operation) + shown_as_statuses()
    with translation.override("en"):
        english = [str(text) for text in shown]
    with translation.override(language):
        translated = [str(text) for text in shown]
    assert "Leave this person out" in english and "Boarded" in english
    left = {
        en
        for en, other in zip(english, translated, strict=True)
        if en == other and en not in SAME_IN_EVERY_LANGUAGE
    }
    assert left == set()


@pytest.mark.parametrize("language", [code for code in TRANSLATED if code != "uk"])
def test_the_translation_covers_at_least_what_ukrainian_does_on_the_portal(language):
    """Ukrainian also translates the staff pages (tests/core/test_staff_translations.py); the
    other languages are the portal's only, so only the strings the portal's own templates and
    code mark are compared here. The labels and choices it takes from the models are checked
    above in every language, and the errors a registration can show by the pages below."""
    ukrainian = {k if isinstance(k, str) else k[0] for k in catalogue("uk") if k}
    portal = template_msgids() | code_msgids()
    assert len(ukrainian & portal) == len(portal)
    assert untranslated(ukrainian & portal, language) == []


def test_russian_plurals_follow_the_number():
    with (ROOT / "locale/ru/LC_MESSAGES/django.mo").open("rb") as compiled:
        found = gettext.GNUTranslations(compiled)
    msgid = (
        "You are registered and waiting for a seat. "
        "%(ahead)s person is ahead of you in the priority order."
    )
    plural = msgid.replace("person is", "people are")
    said = {n: found.ngettext(msgid, plural, n) % {"ahead": n} for n in (1, 3, 5, 11, 21, 22)}
    assert said[1].endswith("1 человек.") and said[21].endswith("21 человек.")
    assert said[3].endswith("3 человека.") and said[22].endswith("22 человека.")
    assert said[5].endswith("5 человек.") and said[11].endswith("11 человек.")

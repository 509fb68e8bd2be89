"""The portal is whole in every language it offers: no English left on a translated page.

Two checks. The catalogues: every string the portal's templates and code mark for
translation has one in each compiled catalogue (locale/<language>/LC_MESSAGES/django.mo),
and every label, help text, error message and choice its forms and pages take from the models
reads differently from English, so a new string without a translation fails here. The pages:
each page, in each state a citizen meets it, is rendered in English and in the other
language, and no English text of the English page may be left on the other one, apart from
the data (names, codes, flight numbers, places, what the person or the staff typed).
"""

import ast
import gettext
import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from evac.core.actor import EVAC
from evac.flights.models import Booking, Flight
from evac.flights.services import booking_create, booking_set_status, flight_set_status
from evac.people.models import Citizen
from evac.portal.forms import (
    CodeForm,
    CodeRequestForm,
    ContactsForm,
    LookupForm,
    PeopleFormSet,
    PlaceForm,
)
from tests.factories import make_citizen, make_flight
from tests.portal.conftest import last_code, send_all_pending

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


# The pages, as a citizen meets them ------------------------------------------------------


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes, and the labels given in attributes."""

    SPOKEN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: set[str] = set()
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skipping += tag in ("script", "style")
        self.texts |= {value for name, value in attrs if name in self.SPOKEN_ATTRIBUTES and value}

    def handle_endtag(self, tag: str) -> None:
        self._skipping -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.add(" ".join(data.split()))


def visible_text(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


ADVICE = "Stay at your place of temporary residence and keep in touch."
ADDRESS = "Hotel Kazakhstan, room 714"
MEDICAL = "Insulin twice a day"
# Shown as typed by staff or as in the data, in every language.
DATA = [
    "Kazakhstan, January 2022",
    ADVICE,
    ADDRESS,
    MEDICAL,
    "Nur-Sultan airport",
    "Nur-Sultan",
    "Almaty",
    "Kyiv",
    "NQZ",
    "English",
    "SMS",
    "UTC",
]
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def english_left(english: str, other: str, data: list[str]) -> set[str]:
    """Texts of the English page still on the other one, once the data is taken out."""
    left = set()
    for text in visible_text(english) & visible_text(other):
        rest = text
        for value in sorted(data, key=len, reverse=True):
            rest = rest.replace(value, "")
        if LATIN_WORD.search(rest):
            left.add(text)
    return left


class World:
    """An operation with an open flight; `person(n)` is someone new for each rendering."""

    def __init__(self, operation, almaty, flight, sms_file, settings) -> None:
        self.operation, self.almaty, self.flight = operation, almaty, flight
        self.sms_file, self.settings = sms_file, settings
        self.slug = operation.slug

    def person(self, n: int, **fields) -> Citizen:
        fields.setdefault("phone", f"+7701{1234500 + n}")
        return make_citizen(self.operation, self.almaty, given_names="Olena", **fields)

    def url(self, name: str) -> str:
        return reverse(f"portal:{name}", args=[self.slug])


def looked_up(client: Client, world: World, citizen: Citizen) -> Client:
    response = client.post(
        world.url("status"),
        {"reference": citizen.reference, "date_of_birth": citizen.date_of_birth.isoformat()},
    )
    assert response.status_code == 302
    return client


def registration(world: World, n: int, **fields) -> dict:
    person = {
        "surname": f"Shevchenko{'abcdefgh'[n]}",
        "given_names": "Iryna",
        "date_of_birth": "1988-04-23",
        "sex": "F",
        "nationality": "UA",
        "document_type": "passport",
        "document_number": f"FE31822{n}",
        "phone": "+77015551234",
        "preferred_language": "en",
        "preferred_channel": "sms",
        **fields,
    }
    return {
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "12",
        "current_city": str(world.almaty.pk),
        "temporary_address": ADDRESS,
        "consent": "on",
        **{f"people-0-{key}": value for key, value in person.items()},
    }


def index(client, world, n):
    return client.get(reverse("portal_index"))


def home(client, world, n):
    return client.get(world.url("home"))


def home_with_advice_and_no_flights(client, world, n):
    world.operation.advice, world.operation.hotline_phone = ADVICE, "+7 717 000 00 00"
    world.operation.save()
    if world.flight.pk:
        world.flight.delete()
    return client.get(world.url("home"))


def register(client, world, n):
    return client.get(world.url("register"))


def register_with_mistakes(client, world, n):
    data = registration(
        world,
        n,
        surname="",
        date_of_birth=date(2099, 1, 1).isoformat(),
        document_number="",
        phone="12",
        medical_details=MEDICAL,
    )
    del data["consent"]
    response = client.post(world.url("register"), data)
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    return response


def register_a_second_person(client, world, n):
    return client.post(world.url("register"), {**registration(world, n), "add_person": "1"})


def registered(client, world, n):
    response = client.post(world.url("register"), registration(world, n))
    assert response.status_code == 302
    return client.get(response["Location"])


def already_registered(client, world, n):
    existing = world.person(n)
    data = registration(world, n, document_number=existing.document_number)
    response = client.post(world.url("register"), data)
    assert response.status_code == 302
    return client.get(response["Location"])


def too_many_people(client, world, n):
    data = {**registration(world, n), "people-TOTAL_FORMS": "1000"}
    response = client.post(world.url("register"), data)
    assert response.status_code == 400
    return response


def lookup(client, world, n):
    return client.get(world.url("status"))


def lookup_not_found(client, world, n):
    return client.post(world.url("status"), {"reference": "ABCD-2345", "surname": "Nobody"})


def lookup_without_date_or_name(client, world, n):
    return client.post(world.url("status"), {"reference": "ABCD-2345"})


def status_waiting(client, world, n):
    world.person(n + 10)  # somebody registered earlier, ahead in the queue
    return looked_up(client, world, world.person(n)).get(world.url("status"))


def status_with_a_seat(client, world, n):
    citizen = world.person(n)
    booking_create(flight=world.flight, citizen=citizen, by=EVAC)
    return looked_up(client, world, citizen).get(world.url("status"))


def status_boarded(client, world, n):
    citizen = world.person(n)
    flight = make_flight(
        world.operation, world.flight.departure_airport, world.flight.arrival_airport
    )
    booking = booking_create(flight=flight, citizen=citizen, by=EVAC)
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=EVAC)
    booking_set_status(booking=booking, status=Booking.Status.BOARDED, by=EVAC)
    return looked_up(client, world, citizen).get(world.url("status"))


def change_contacts(client, world, n):
    return looked_up(client, world, world.person(n)).get(world.url("change") + "?do=contacts")


def change_decided_to_stay(client, world, n):
    citizen = world.person(n, email="olena@example.org")
    booking_create(flight=world.flight, citizen=citizen, by=EVAC)
    return looked_up(client, world, citizen).get(world.url("change") + "?do=stay")


def change_without_phone_or_email(client, world, n):
    return looked_up(client, world, world.person(n, phone="")).get(world.url("change") + "?do=left")


def code_sent(client, world, n):
    looked_up(client, world, world.person(n))
    data = {"do": "left", "channel": "sms"}
    return client.post(world.url("send_code"), data, follow=True)


def code_not_sent(client, world, n):
    looked_up(client, world, world.person(n))
    data = {"do": "left", "channel": "email"}  # no e-mail on file
    return client.post(world.url("send_code"), data, follow=True)


def wrong_code(client, world, n):
    looked_up(client, world, world.person(n))
    return client.post(world.url("change"), {"do": "left", "code": "000000"})


def seat_confirmed(client, world, n):
    citizen = world.person(n)
    booking_create(flight=world.flight, citizen=citizen, by=EVAC)
    looked_up(client, world, citizen)
    client.post(world.url("send_code"), {"do": "confirm", "channel": "sms"})
    send_all_pending()
    code = last_code(world.sms_file)
    return client.post(world.url("change"), {"do": "confirm", "code": code}, follow=True)


def decided_to_stay(client, world, n):
    looked_up(client, world, world.person(n))
    client.post(world.url("send_code"), {"do": "stay", "channel": "sms"})
    send_all_pending()
    code = last_code(world.sms_file)
    return client.post(world.url("change"), {"do": "stay", "code": code}, follow=True)


def too_many_tries(client, world, n):
    world.settings.EVAC_PORTAL_RATE_PER_IP = "1/m"
    client.post(world.url("status"), {"reference": "ABCD-2345", "surname": "Nobody"})
    response = client.post(world.url("status"), {"reference": "ABCD-2345", "surname": "Nobody"})
    assert response.status_code == 429
    return response


PAGES: list[Callable] = [
    index,
    home,
    home_with_advice_and_no_flights,
    register,
    register_with_mistakes,
    register_a_second_person,
    registered,
    already_registered,
    too_many_people,
    lookup,
    lookup_not_found,
    lookup_without_date_or_name,
    status_waiting,
    status_with_a_seat,
    status_boarded,
    change_contacts,
    change_decided_to_stay,
    change_without_phone_or_email,
    code_sent,
    code_not_sent,
    wrong_code,
    seat_confirmed,
    decided_to_stay,
    too_many_tries,
]


def client_reading(language: str, chosen_by: str) -> Client:
    if chosen_by == "browser":
        return Client(HTTP_ACCEPT_LANGUAGE=language)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post(reverse("set_language"), {"language": language})
    return client


@pytest.mark.parametrize(
    "language, chosen_by", [("uk", "browser"), ("ru", "browser"), ("ru", "footer")]
)
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.__name__)
def test_no_english_is_left_on_a_translated_page(
    settings, operation, almaty, flight, sms_file, page, language, chosen_by
):
    world = World(operation, almaty, flight, sms_file, settings)
    in_english = page(Client(HTTP_ACCEPT_LANGUAGE="en"), world, 0)
    translated = page(client_reading(language, chosen_by), world, 1)

    assert translated.status_code == in_english.status_code
    english, other = in_english.content.decode(), translated.content.decode()
    assert '<html lang="en">' in english and f'<html lang="{language}">' in other
    assert english_left(english, other, [*DATA, flight.number]) == set()

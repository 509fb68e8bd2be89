"""The staff pages are whole in Ukrainian and in Russian, and English stays the default.

Two checks, as for the citizen portal (tests/portal/test_translations.py). The catalogue:
every string the staff templates (all of templates/ but the portal's) and the code outside
evac/portal mark for translation has a Ukrainian one in the compiled catalogue, so a new
string without a translation fails here. The pages: a coordinator whose browser asks for
Ukrainian walks every staff page, in the states where most of their words show, and no word
in Latin letters may be left on them apart from the data (names, places, codes, what staff
typed) and a few names that stay as they are (Evac, English, acronyms such as SMS or UTC).
"""

import ast
import gettext
import re
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from evac.cockpit.services import operation_anonymise, operation_close
from evac.core.clock import now
from evac.core.languages import STAFF_LANGUAGES
from evac.flights.models import Booking, Flight
from evac.flights.services import booking_create, booking_set_status, flight_set_status
from evac.notifications.models import Notification
from evac.operations.models import Role
from evac.people.models import ContactLogEntry
from evac.people.services import contact_log_add, household_register
from evac.places.catalogue import country_airports, country_cities
from tests.factories import make_citizen, make_flight, make_member, make_operation
from tests.logins import StaffClient, authenticator_for
from tests.test_url_access import staff_urls
from tests.url_patterns import ABSENT

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


# The staff pages' languages besides English, each checked whole.
TRANSLATED = ("uk", "ru")


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


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes, the labels given in attributes, and the
    messages the page's script shows (data-…-message)."""

    SPOKEN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: set[str] = set()
        self.lang = ""
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang", "")
        self._skipping += tag in ("script", "style", "template")
        for name, value in attrs:
            if value and (name in self.SPOKEN_ATTRIBUTES or name.endswith("-message")):
                self.texts.add(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        self._skipping -= tag in ("script", "style", "template")

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.add(" ".join(data.split()))


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


# Latin words that stay as they are in Ukrainian: the product's name, the English language
# offered in its own words, and the apps named on the second-step page.
STAY_LATIN = [
    "Evac",
    "English",
    "FreeOTP",
    "Google Authenticator",
    "Microsoft Authenticator",
    "Ctrl",
    "2001:db8:",  # the example of an IPv6 address
    "Natural Earth",  # where the map's country outlines come from
]
# A word with a small letter in it; all-capital words are codes and acronyms (KBP, SMS, UTC).
LATIN_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")


def data_of_the_world() -> list[str]:
    """Every text the database holds, whole (not word by word: a message's text or a note
    holds words an untranslated label could have): names, places, codes, notes."""
    values = set()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if not f.is_relation]
        for row in model.objects.values_list(*fields):
            values |= {str(value) for value in row if isinstance(value, str | ZoneInfo) and value}
    # The Places page lists the places data of the operation's country, held or not.
    airports, cities = country_airports("KZ"), country_cities("KZ")
    values |= {a.name for a in airports} | {a.city_name for a in airports}
    values |= {c.name for c in cities}
    return sorted(values, key=len, reverse=True)


def latin_left(html: str, data: list[str]) -> set[str]:
    left = set()
    for text in read(html).texts:
        rest = text
        for value in sorted({*STAY_LATIN, *data}, key=len, reverse=True):
            rest = rest.replace(value, "")
        if any(len(word) > 1 for word in LATIN_WORD.findall(rest)):
            left.add(text)
    return left


def member(surname: str, given_names: str, born: str, city, **fields) -> dict:
    return {
        "surname": surname,
        "given_names": given_names,
        "date_of_birth": born,
        "sex": "F",
        "nationality": "UA",
        "document_type": "passport",
        "document_number": f"FE{born.replace('-', '')}",
        "current_city": city,
        **fields,
    }


@pytest.fixture
def world(operation, almaty, nur_sultan, ala, nqz, kbp, flight, alice, bob, carol):
    """An operation in full swing: people waiting, a household, seats booked, a flight
    boarding, contacts logged and messages queued; and alice's other operations, one still
    active, one closed and one whose personal data is already anonymised."""
    olena = make_citizen(
        operation,
        almaty,
        surname="Zaporozhets",
        medical_need=True,
        medical_details="Insulin twice a day",
        phone="+77011234567",
        notes="Speaks Kazakh",
    )
    household_register(
        operation=operation,
        source="staff_intake",
        by=alice,
        members=[
            member("Bondarenko", "Halyna", "1950-02-01", almaty),
            member("Bondarenko", "Sofiia", "2016-06-01", almaty, email="sofiia@example.org"),
        ],
    )
    booked = make_citizen(operation, almaty, surname="Khmelnytska", phone="+77017654321")
    booking = booking_create(flight=flight, citizen=booked, by=alice)
    boarding = make_flight(operation, nqz, kbp)
    on_board = make_citizen(operation, nur_sultan, surname="Melnyk")
    seat = booking_create(flight=boarding, citizen=on_board, by=alice)
    boarding = flight_set_status(flight=boarding, status=Flight.Status.BOARDING, by=alice)
    booking_set_status(booking=seat, status=Booking.Status.BOARDED, by=alice)
    contact_log_add(
        citizen=olena,
        channel=ContactLogEntry.Channel.PHONE,
        direction=ContactLogEntry.Direction.INBOUND,
        outcome=ContactLogEntry.Outcome.REACHED,
        note="Calls every evening",
        by=bob,
    )
    authenticator_for(bob)
    closed = []
    for name, days in [("Libya, February 2011", 90), ("Yemen, March 2015", 0)]:
        other = make_operation(name)
        make_member("alice", other, Role.COORDINATOR)
        make_citizen(other, almaty)
        closed.append(operation_close(operation=other, by=alice, retain_days=days))
    operation_anonymise(operation=closed[1])
    make_member("alice", make_operation("Sudan, April 2023"), Role.OFFICER)
    reader = StaffClient()
    reader.force_login(alice)
    for page in [
        reverse("people:detail", args=[operation.slug, olena.reference_code]),
        reverse("flights:manifest", args=[operation.slug, flight.pk]),
    ]:
        assert reader.get(page).status_code == 200  # the access log has something to show
    return SimpleNamespace(
        operation=operation,
        olena=olena,
        flight=flight,
        booking=booking,
        boarding=boarding,
        closed=closed,
        alice=alice,
        bob=bob,
        nqz=nqz,
        kbp=kbp,
        almaty=almaty,
    )


def reading(language: str, user=None) -> StaffClient:
    client = StaffClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def staff_pages(world: SimpleNamespace) -> Iterator[str]:
    """Every staff page of the URL configuration, and more states of the ones that have them."""
    op, olena, flight, boarding = world.operation.slug, world.olena, world.flight, world.boarding
    values = {
        "operation_slug": op,
        "flight_id": flight.pk,
        "transfer_id": 0,  # no transfer: its pages answer 404
        "booking_id": world.booking.pk,
        "ref": olena.reference_code,
        "export_format": "csv",
        "member_id": world.alice.memberships.get(operation=world.operation).pk,
        "airport_iata": world.nqz.iata_code,
        "import_id": ABSENT,
        "merge_id": ABSENT,
        "duplicate_pair_id": ABSENT,
        "message_id": ABSENT,
    }
    yield from staff_urls(values)
    yield reverse("two_factor:security")
    yield reverse("two_factor:setup")
    for status in ("decided_to_stay", "left_by_own_means", "unreachable"):
        yield reverse("people:status", args=[op, olena.reference_code]) + f"?status={status}"
    people = reverse("people:list", args=[op])
    yield people + "?status=waiting&vulnerable=1&household=no&sort=-name"
    yield people + "?not_contacted_days=x"  # a filter it can't read
    yield people + "?q=nobody-by-this-name"
    for pk, target in [
        (flight.pk, "boarding"),
        (flight.pk, "cancelled"),
        (flight.pk, "planned"),
        (boarding.pk, "departed"),
        (boarding.pk, "open"),
    ]:
        yield reverse("flights:status", args=[op, pk]) + f"?to={target}"
    yield reverse("flights:boarding", args=[op, boarding.pk])
    yield reverse("flights:boarding", args=[op, boarding.pk]) + "?q=nobody"
    yield reverse("flights:manifest", args=[op, boarding.pk])
    yield reverse("flights:list", args=[op]) + "?when=past"
    yield reverse("audit:access_log", args=[op]) + "?ip=nonsense"
    yield reverse("audit:access_log", args=[op]) + "?object=nobody"
    yield reverse("notifications:outbox", args=[op]) + "?status=failed"
    yield reverse("operations:dashboard", args=[op]) + "?days=1"
    for closed in world.closed:
        yield reverse("operations:dashboard", args=[closed.slug])
        yield reverse("operations:closing", args=[closed.slug])


def check(response, data: list[str] = (), status: int = 200, language: str = "uk") -> set[str]:
    """The Latin words left on a page answered in `language` (none, for a good page)."""
    assert response.status_code == status, response
    html = response.content.decode()
    assert read(html).lang == language
    return latin_left(html, [*(value for value in data if len(value) > 2), *data_of_the_world()])


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_coordinator_reading_ukrainian_or_russian_meets_no_english_on_the_staff_pages(
    world, language
):
    client = reading(language, world.alice)
    pages, left = 0, {}
    for url in staff_pages(world):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue  # an action (POST only), a file, or the JSON the gate page polls
        pages += 1
        if found := check(response, language=language):
            left[url] = found
    assert left == {}
    assert pages >= 40


# What the pages say after something was done, or refused ---------------------------------


def flight_form_with_mistakes(client, world):
    typed = {"number": "", "carrier": "Air Astana", "seats_total": "0", "notes": "Charter"}
    return client.post(reverse("flights:new", args=[world.operation.slug]), typed), typed


def flight_created(client, world):
    day = now() + timedelta(days=30)  # a flight is planned for a time still ahead
    typed = {
        "number": "KC9501",
        "carrier": "Air Astana",
        "kind": "charter",
        "departure_airport": world.nqz.pk,
        "departs_local": f"{day:%Y-%m-%d}T10:00",
        "arrival_airport": world.kbp.pk,
        "arrives_local": f"{day:%Y-%m-%d}T14:30",
        "seats_total": "120",
    }
    url = reverse("flights:new", args=[world.operation.slug])
    return client.post(url, typed, follow=True), typed


def flight_boarding_started(client, world):
    url = reverse("flights:status", args=[world.operation.slug, world.flight.pk])
    return client.post(url, {"to": "boarding"}, follow=True), {}


def flight_change_refused(client, world):
    url = reverse("flights:status", args=[world.operation.slug, world.boarding.pk])
    return client.post(url, {"to": "planned"}, follow=True), {}


def registration_with_mistakes(client, world):
    typed = {
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "30",
        "current_city": "",
        "temporary_address": "Hotel Kazakhstan",
        "members-0-surname": "Zaporozhets",
        "members-0-date_of_birth": "2099-01-01",
        "members-0-document_type": "passport",
        "members-0-medical_details": "Asthma",
        "members-0-phone": "12",
    }
    return client.post(reverse("people:new", args=[world.operation.slug]), typed), typed


def registered_twice(client, world):
    """The same person again: the page asks whether they are already registered."""
    olena = world.olena
    typed = {
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "30",
        "current_city": world.almaty.pk,
        "members-0-surname": olena.surname,
        "members-0-given_names": olena.given_names,
        "members-0-date_of_birth": olena.date_of_birth.isoformat(),
        "members-0-sex": "F",
        "members-0-nationality": "UA",
        "members-0-document_type": "passport",
        "members-0-document_number": olena.document_number,
        "members-0-preferred_language": "uk",
        "members-0-preferred_channel": "sms",
    }
    return client.post(reverse("people:new", args=[world.operation.slug]), typed), typed


def contact_logged(client, world):
    url = reverse("people:contact", args=[world.operation.slug, world.olena.reference_code])
    typed = {"channel": "sms", "direction": "outbound", "outcome": "no_answer", "note": ""}
    return client.post(url, typed, follow=True), typed


def status_changed(client, world):
    url = reverse("people:status", args=[world.operation.slug, world.olena.reference_code])
    return client.post(url, {"status": "unreachable"}, follow=True), {}


def seats_filled_from_the_waiting_list(client, world):
    url = reverse("flights:add_passengers", args=[world.operation.slug, world.flight.pk])
    return client.post(url, {"action": "fill"}, follow=True), {}


def nobody_ticked(client, world):
    url = reverse("flights:add_passengers", args=[world.operation.slug, world.flight.pk])
    return client.post(url, {"action": "book"}, follow=True), {}


def seat_cancelled(client, world):
    op, flight, booking = world.operation.slug, world.flight, world.booking
    url = reverse("flights:cancel_seat", args=[op, flight.pk, booking.pk])
    return client.post(url, follow=True), {}


def broadcast_previewed(client, world):
    typed = {"audience": "flight", "flight": world.flight.pk, "text": "Be at the airport at 6"}
    url = reverse("notifications:broadcast", args=[world.operation.slug])
    return client.post(url, typed), typed


def broadcast_without_a_city(client, world):
    typed = {"audience": "city", "text": ""}
    url = reverse("notifications:broadcast", args=[world.operation.slug])
    return client.post(url, typed), typed


def message_cancelled(client, world):
    waiting = Notification.objects.filter(status=Notification.Status.PENDING).first()
    url = reverse("notifications:cancel", args=[world.operation.slug, waiting.pk])
    outbox = reverse("notifications:outbox", args=[world.operation.slug])
    return client.post(url, {"next": outbox}, follow=True), {}


def advice_saved(client, world):
    typed = {"advice": "Stay where you are."}
    url = reverse("operations:advice", args=[world.operation.slug])
    return client.post(url, typed, follow=True), typed


def closing_refused(client, world):
    url = reverse("operations:closing", args=[world.operation.slug])
    return client.post(url, {"action": "close", "confirm": "on"}, follow=True), {}


def anonymisation_moved_to_the_past(client, world):
    url = reverse("operations:closing", args=[world.closed[0].slug])
    return client.post(url, {"action": "schedule", "on": "2001-01-01"}), {}


def second_step_reset(client, world):
    membership = world.bob.memberships.get()
    url = reverse("staff:reset_two_factor", args=[world.operation.slug, membership.pk])
    return client.post(url, follow=True), {}


def new_backup_codes(client, world):
    return client.post(reverse("two_factor:security")), {}


def wrong_second_step_code(client, world):
    client.logout()
    client.force_login_password_only(world.alice)
    return client.post(reverse("two_factor:verify"), {"code": "000000"}), {}


def login_page(client, world):
    client.logout()
    return client.get(reverse("login") + "?next=/staff/"), {}


def wrong_password(client, world):
    client.logout()
    typed = {"username": "alice", "password": "wrong"}
    return client.post(reverse("login"), typed), typed


def locked_out(client, world):
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "bob", "password": "wrong"})
    return response, {}


AFTER = [
    flight_form_with_mistakes,
    flight_created,
    flight_boarding_started,
    flight_change_refused,
    registration_with_mistakes,
    registered_twice,
    contact_logged,
    status_changed,
    seats_filled_from_the_waiting_list,
    nobody_ticked,
    seat_cancelled,
    broadcast_previewed,
    broadcast_without_a_city,
    message_cancelled,
    advice_saved,
    closing_refused,
    anonymisation_moved_to_the_past,
    second_step_reset,
    new_backup_codes,
    wrong_second_step_code,
    login_page,
    wrong_password,
    locked_out,
]


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("action", AFTER, ids=lambda action: action.__name__)
def test_what_the_pages_say_after_an_action_is_translated_too(world, action, language):
    response, typed = action(reading(language, world.alice), world)
    status = 429 if action is locked_out else 200
    typed_values = [str(value) for value in typed.values()]
    assert check(response, typed_values, status, language) == set()


# English by default; the header's switch; dates in the reader's language ----------------


def test_a_browser_that_asks_for_no_language_gets_english(world):
    dashboard = reverse("operations:dashboard", args=[world.operation.slug])
    html = reading("", world.alice).get(dashboard).content.decode()
    assert read(html).lang == "en"
    assert "Dashboard" in html and "Log out" in html


def test_the_header_switch_changes_the_language_and_the_choice_stays(world):
    client = reading("en", world.alice)
    manifest = reverse("flights:manifest", args=[world.operation.slug, world.flight.pk])
    page = client.get(manifest).content.decode()
    switch = re.search(r'<form action="/i18n/setlang/".*?</form>', page, re.S).group()
    options = re.findall(r'<option value="(\w+)"', switch)
    assert tuple(options) == STAFF_LANGUAGES == ("en", "uk", "ru")
    assert f'name="next" type="hidden" value="{manifest}"' in switch

    response = client.post(reverse("set_language"), {"language": "uk", "next": manifest})

    assert response.status_code == 302 and response["Location"] == manifest
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"
    page = client.get(manifest).content.decode()  # the browser still asks for English
    assert read(page).lang == "uk" and "Маніфест рейсу" in page and "Log out" not in page
    assert '<option value="uk" lang="uk" selected>' in page

    client.post(reverse("set_language"), {"language": "en", "next": manifest})
    assert read(client.get(manifest).content.decode()).lang == "en"


def test_a_russian_browser_gets_the_staff_pages_and_the_portal_in_russian(world):
    client = reading("ru", world.alice)
    for url in [
        reverse("operations:dashboard", args=[world.operation.slug]),
        reverse("login"),
        reverse("two_factor:security"),
    ]:
        html = client.get(url).content.decode()
        assert read(html).lang == "ru" and "Log out" not in html, url
    dashboard = client.get(reverse("operations:dashboard", args=[world.operation.slug]))
    assert "Рейсы" in dashboard.content.decode() and "Выйти" in dashboard.content.decode()
    portal = client.get(reverse("portal:home", args=[world.operation.slug])).content.decode()
    assert read(portal).lang == "ru"
    # Russian chosen in the portal's footer or the header's switch: the same.
    client = reading("en", world.alice)
    client.post(reverse("set_language"), {"language": "ru"})
    flights = client.get(reverse("flights:list", args=[world.operation.slug])).content.decode()
    assert read(flights).lang == "ru" and "<h1>Рейсы</h1>" in flights


def test_the_login_page_has_the_switch_too():
    client = reading("en")
    login = reverse("login")
    assert 'action="/i18n/setlang/"' in client.get(login).content.decode()
    client.post(reverse("set_language"), {"language": "uk", "next": login})
    page = client.get(login).content.decode()
    assert read(page).lang == "uk" and "Увійти" in page


MONTH_IN_WORDS_UK = (
    r"\d{1,2} (січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня"
    r"|листопада|грудня) \d{4}"
)


def test_dates_follow_the_language(world):
    """13 Jan 2030 in English, 13.01.2030 in Ukrainian; a month in words in its genitive."""
    manifest = reverse("flights:manifest", args=[world.operation.slug, world.flight.pk])
    closing = reverse("operations:closing", args=[world.closed[0].slug])
    english, ukrainian = reading("en", world.alice), reading("uk", world.alice)

    assert "13 Jan 2030" in english.get(manifest).content.decode()
    assert "13.01.2030" in ukrainian.get(manifest).content.decode()
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", english.get(closing).content.decode())
    assert re.search(MONTH_IN_WORDS_UK, ukrainian.get(closing).content.decode())


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

"""What the staff pages' translation tests share: a world in full swing, a client reading
a language, every staff page of it, and the Latin words left on a page (tests/core/
test_staff_translations.py says why; test_staff_pages_translated.py and
test_staff_actions_translated.py walk them).
"""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.urls import reverse

from evac.cockpit.services import operation_anonymise
from evac.flights.closing import operation_close
from evac.flights.models import Booking, Flight
from evac.flights.services import booking_create, booking_set_status, flight_set_status
from evac.operations.models import Role
from evac.people.models import ContactLogEntry
from evac.people.services import contact_log_add, household_register
from evac.places.catalogue import country_airports, country_cities
from tests.factories import make_citizen, make_flight, make_member, make_operation
from tests.logins import StaffClient, authenticator_for
from tests.test_url_access import staff_urls
from tests.url_patterns import ABSENT

# The staff pages' languages besides English, each checked whole.
TRANSLATED = ("uk", "ru")


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
        "dismissed_pair_id": ABSENT,
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

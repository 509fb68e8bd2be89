"""Each portal page, in each state a citizen meets it, is rendered in English and in the
other language (chosen by the browser or in the footer), and no English text of the English
page may be left on the other one, apart from the data (names, codes, flight numbers,
places, what the person or the staff typed). The catalogues: tests/portal/test_translations.py.
"""

import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.models import Booking, Flight
from evac.flights.services import booking_create, booking_set_status, flight_set_status
from evac.people.models import Citizen
from tests.factories import make_citizen, make_flight
from tests.portal.conftest import last_code, send_all_pending

pytestmark = pytest.mark.django_db


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

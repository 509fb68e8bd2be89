"""Messages are in the person's language, with the airport's local time and its zone named."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from evac.core.actor import EVAC
from evac.flights.services import booking_create
from evac.notifications import texts
from evac.notifications.models import Notification
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db
N = Notification


@pytest.fixture
def january_flight(operation, nqz, kbp, nur_sultan):
    nur_sultan.name_native = "Нур-Султан"
    nur_sultan.time_zone = ZoneInfo("Asia/Almaty")
    nur_sultan.save()
    # 04:40 UTC is 10:40 in Nur-Sultan (UTC+6 in 2022).
    return make_flight(
        operation, nqz, kbp, departs_at=datetime(2022, 1, 13, 4, 40, tzinfo=UTC), number="PS 9004"
    )


@pytest.fixture(autouse=True)
def before_the_flight(pin_clock):
    pin_clock(datetime(2022, 1, 10, 12, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "PS 9004 Nur-Sultan (NQZ) - Kyiv (KBP), leaving 13 January at 10:40 (UTC+6)"),
        ("uk", "PS 9004 Нур-Султан (NQZ) – Kyiv (KBP), виліт 13 січня о 10:40 (UTC+6)"),
        ("ru", "PS 9004 Нур-Султан (NQZ) – Kyiv (KBP), вылет 13 января в 10:40 (UTC+6)"),
    ],
)
def test_the_confirmation_is_in_the_persons_language_in_local_time(
    operation, almaty, january_flight, language, expected
):
    person = make_citizen(operation, almaty, phone="+77011112233", preferred_language=language)

    booking_create(flight=january_flight, citizen=person, by=EVAC)

    confirmation = N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION)
    assert confirmation.language == language
    assert expected in confirmation.body
    # Be at the airport three hours before: 07:40 local.
    assert "07:40" in confirmation.body


def test_the_reminder_names_the_local_departure(operation, almaty, january_flight):
    person = make_citizen(operation, almaty, phone="+77011112233", preferred_language="uk")

    booking_create(flight=january_flight, citizen=person, by=EVAC)

    reminder = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).first()
    assert reminder.body.startswith("Нагадування: рейс PS 9004")
    assert "13 січня о 10:40 (UTC+6)" in reminder.body


def test_a_language_without_a_template_falls_back_to_english():
    rendered = texts.render("broadcast", "de", {"text": "Hallo"}, sms=True)

    assert (rendered.language, rendered.body) == ("en", "Hallo")


def test_zone_names_read_as_offsets():
    assert texts.zone_name(datetime(2022, 1, 13, tzinfo=ZoneInfo("Asia/Almaty"))) == "UTC+6"
    assert texts.zone_name(datetime(2022, 1, 13, tzinfo=ZoneInfo("Asia/Kolkata"))) == "UTC+5:30"
    assert texts.zone_name(datetime(2022, 1, 13, tzinfo=ZoneInfo("America/Sao_Paulo"))) == "UTC-3"
    assert texts.zone_name(datetime(2022, 1, 13, tzinfo=UTC)) == "UTC"


def test_broadcast_text_is_not_html_escaped():
    rendered = texts.render("broadcast", "en", {"text": "Don't go to A & B"}, sms=True)

    assert rendered.body == "Don't go to A & B"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Almaty"), ("uk", "Алмати"), ("ru", "Алматы"), ("kk", "Алмати")],
)
def test_a_city_is_named_as_a_reader_of_the_language_knows_it(almaty, language, expected):
    almaty.name_native, almaty.name_ru = "Алмати", "Алматы"
    assert texts.city_name(almaty, language) == expected


def test_without_a_russian_spelling_russian_readers_get_the_cyrillic_one(nur_sultan):
    nur_sultan.name_native = "Нур-Султан"
    assert texts.city_name(nur_sultan, "ru") == "Нур-Султан"


def test_a_russian_message_names_the_cities_in_russian(operation, almaty, january_flight):
    kyiv = january_flight.arrival_airport.city
    kyiv.name_native, kyiv.name_ru = "Київ", "Киев"
    kyiv.save()
    person = make_citizen(operation, almaty, phone="+77011112233", preferred_language="ru")

    booking_create(flight=january_flight, citizen=person, by=EVAC)

    assert "Нур-Султан (NQZ) – Киев (KBP)" in N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION).body

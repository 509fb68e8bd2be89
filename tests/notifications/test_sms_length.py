"""Every SMS Evac writes fits in three segments, in every language, with long real values."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from evac.flights.models import SeatLoss
from evac.notifications import texts
from evac.notifications.broadcasts import MAX_SMS_SEGMENTS
from evac.notifications.models import STAFF_KINDS, Notification
from evac.notifications.sms import sms_length

CITIZEN_KINDS = [k for k in Notification.Kind.values if k not in STAFF_KINDS]
LANGUAGES = ["en", "uk", "ru"]


def test_gsm_7_text_takes_160_characters_a_segment_then_153():
    assert sms_length("a" * 160) == sms_length("a" * 160)
    assert (sms_length("a" * 160).encoding, sms_length("a" * 160).segments) == ("GSM-7", 1)
    assert sms_length("a" * 161).segments == 2
    assert sms_length("a" * 306).segments == 2
    assert sms_length("a" * 307).segments == 3


def test_the_extension_characters_take_two_septets():
    assert sms_length("€" * 80).units == 160
    assert sms_length("€" * 81).segments == 2


def test_one_cyrillic_letter_makes_it_ucs_2_with_70_then_67():
    assert sms_length("я" * 70).segments == 1
    assert sms_length("я" * 71).segments == 2
    assert sms_length("я" * 134).segments == 2
    assert sms_length("a" * 100 + "я").encoding == "UCS-2"


# A production address: https, a ministry's host of realistic length, and the longest
# operation slug a SlugField takes (50), so no message is measured with a short URL.
LONG_HOST = "evacuation-registry.consular.mfa.gov.ua"
LONG_SLUG = "kazakhstan-2022-almaty-nur-sultan-evacuation-phase"[:50]
PORTAL_URL = f"https://{LONG_HOST}/p/{LONG_SLUG}/status/"


def _longest_context(language: str) -> dict:
    """Longer than any real value: long city names, a 7-character flight number, a hotline,
    the production portal address."""
    city = SimpleNamespace(
        name="Ust-Kamenogorsk",
        name_native="Усть-Каменогорськ",
        name_ru="Усть-Каменогорск",
        time_zone=ZoneInfo("Asia/Almaty"),
    )
    city.local_time = lambda moment: moment.astimezone(city.time_zone)
    airport = SimpleNamespace(iata_code="UKK", city=city, local_time=city.local_time)
    departs_at = datetime(2022, 9, 30, 18, 45, tzinfo=UTC)
    flight = SimpleNamespace(
        number="PS 9004",
        departure_airport=airport,
        arrival_airport=SimpleNamespace(iata_code="KBP", city=city),
        departs_at=departs_at,
        report_at=departs_at - timedelta(hours=3),
    )
    return {
        **texts.flight_context(flight, language),
        "reference": "ABCD-EFGH",
        "hotline": "+7 7172 55 00 22",
        "city": texts.city_name(city, language),
        "hours": 24,
        "text": "x",
        "code": "123456",
        "minutes": 10,
        "portal_url": PORTAL_URL,
        "until": texts.local_time(departs_at - timedelta(hours=20), city, language),
        "seats": 1,
        "how": "declined",
    }


def _longest_transfer(language: str) -> dict:
    """A convoy with the longest number the field takes (12), between two long-named cities."""
    city = _longest_context(language)["city"]
    return {
        "mode": "convoy",
        "number": "X" * 12,
        "from_city": city,
        "to_city": city,
        "departs": texts.local_time(
            datetime(2022, 9, 30, 18, 45, tzinfo=UTC),
            SimpleNamespace(local_time=lambda m: m.astimezone(ZoneInfo("Asia/Almaty"))),
            language,
        ),
        "meeting_point": "M" * 200,
    }


# The variants of a kind whose words depend on what happened.
VARIANTS = {
    Notification.Kind.SEAT_CANCELLED: [
        *({"reason": reason} for reason in SeatLoss.values),
        *(
            {"reason": reason, "transfer": "longest", "flight_kept": kept}
            for reason in SeatLoss.values
            for kept in (True, False)
        ),
    ],
    Notification.Kind.REGISTRATION_CONFIRMATION: [{}, {"part": 2, "others": "ABCD-EFGH Ivan"}],
    Notification.Kind.SEAT_OFFERED: [{"seats": 1}, {"seats": 12}],
    Notification.Kind.SEAT_OFFER_ENDED: [
        {"how": how} for how in ("declined", "expired", "withdrawn")
    ],
}


def test_the_portal_address_measured_is_as_long_as_a_production_one():
    assert len(LONG_SLUG) == 50 and len(PORTAL_URL) >= 100


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", CITIZEN_KINDS)
def test_every_message_fits_in_three_segments(kind, language):
    for variant in VARIANTS.get(kind, [{}]):
        context = {**_longest_context(language), **variant}
        if context.get("transfer") == "longest":
            context["transfer"] = _longest_transfer(language)
        body = texts.render(kind, language, context, sms=True).body

        length = sms_length(body)
        assert length.segments <= MAX_SMS_SEGMENTS, f"{kind}.{language}: {length} {body!r}"
        if language == "en":
            # English must stay in the GSM alphabet, or it costs 70-character segments.
            assert length.encoding == "GSM-7", body


@pytest.mark.django_db
def test_a_broadcast_too_long_for_three_segments_is_refused(operation, alice, flight):
    from django.core.exceptions import ValidationError

    from evac.notifications.broadcasts import broadcast_preview

    with pytest.raises(ValidationError) as refused:
        broadcast_preview(
            operation=operation, by=alice, texts={"uk": "Увага! " * 40}, flight=flight
        )

    assert "too long" in str(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_family_of_twelve_registered_together_gets_every_code_in_messages_that_fit(
    operation, almaty, language
):
    """Through the service, with the production portal address: the longest real case."""
    from evac.notifications.services import registration_confirmed
    from tests.factories import make_citizen

    names = ["Oleksandra", "Kostiantyn", "Anastasiia", "Sviatoslav", "Khrystyna", "Volodymyr"] * 2
    family = [
        make_citizen(
            operation,
            almaty,
            given_names=name,
            phone="+77011234567" if n == 0 else "",
            preferred_language=language,
        )
        for n, name in enumerate(names)
    ]

    registration_confirmed(citizen=family[0], status_url=PORTAL_URL, registered_with=family)

    bodies = list(
        Notification.objects.filter(citizen=family[0]).order_by("pk").values_list("body", flat=True)
    )
    assert PORTAL_URL in bodies[0]
    assert all(sms_length(body).segments <= MAX_SMS_SEGMENTS for body in bodies), bodies
    assert all(any(person.reference in body for body in bodies) for person in family)

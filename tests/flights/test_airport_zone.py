"""A flight's times are on its airport's clock, for every reader and writer.

An airport can keep a zone other than its city's (Places stores airportsdata's zone, and a
city's comes from GeoNames). The form that turns typed times into UTC, the staff pages, the
messages, the portal, the API and the carrier's PAXLST must then all use the same one: the
airport's. Before, the form and the messages read the city's zone while the pages and PAXLST
read the airport's, so saving an unchanged edit form moved the flight by the difference.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from evac.flights.models import Flight
from evac.flights.services import booking_create
from evac.notifications.texts import flight_context
from evac.portal.selectors import active_booking, public_schedule, seat_of
from tests.api.client import op_url, session_client
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db

# Far from Nur-Sultan's own zone whatever the tz database says of Kazakhstan that year.
AIRPORT_ZONE = "Asia/Tokyo"  # UTC+9, no summer time


@pytest.fixture(autouse=True)
def new_year_2030(pin_clock):
    pin_clock(datetime(2030, 1, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def nqz_own_zone(nqz):
    nqz.time_zone = ZoneInfo(AIRPORT_ZONE)
    nqz.save()
    return nqz


def _typed(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_a_time_typed_in_the_form_is_the_airports_local_time(
    client, operation, nqz_own_zone, kbp, alice
):
    client.force_login(alice)
    data = {
        "number": "PS 9010",
        "carrier": "Ukraine International Airlines",
        "kind": "charter",
        "departure_airport": nqz_own_zone.pk,
        "departs_local": "2030-01-20T10:40",
        "arrival_airport": kbp.pk,
        "arrives_local": "2030-01-20T13:10",
        "seats_total": "60",
        "notes": "",
    }

    client.post(reverse("flights:new", args=[operation.slug]), data)

    flight = Flight.objects.get(number="PS 9010")
    assert flight.departs_at == datetime(2030, 1, 20, 1, 40, tzinfo=UTC)  # 10:40 in Tokyo
    assert flight.departs_local.replace(tzinfo=None) == datetime(2030, 1, 20, 10, 40)


def test_saving_the_edit_form_unchanged_keeps_the_flights_times(
    client, operation, nqz_own_zone, kbp, alice
):
    flight = make_flight(operation, nqz_own_zone, kbp, seats=60)
    departs_at, arrives_at = flight.departs_at, flight.arrives_at
    client.force_login(alice)
    edit = reverse("flights:edit", args=[operation.slug, flight.pk])
    initial = client.get(edit).context["form"].initial

    client.post(
        edit,
        {
            **{key: value for key, value in initial.items() if value is not None},
            "departs_local": _typed(initial["departs_local"]),
            "arrives_local": _typed(initial["arrives_local"]),
            "notes": initial.get("notes") or "",
        },
    )

    flight.refresh_from_db()
    assert (flight.departs_at, flight.arrives_at) == (departs_at, arrives_at)


def test_page_messages_portal_api_and_paxlst_give_the_same_local_time(
    client, operation, nqz_own_zone, kbp, almaty, alice
):
    flight = make_flight(operation, nqz_own_zone, kbp, seats=10)
    citizen = make_citizen(operation, almaty)
    booking_create(flight=flight, citizen=citizen, by=alice)
    local = flight.departs_at.astimezone(ZoneInfo(AIRPORT_ZONE))
    hhmm = local.strftime("%H:%M")
    client.force_login(alice)

    page = client.get(reverse("flights:manifest", args=[operation.slug, flight.pk]))
    message = flight_context(flight, "en")
    schedule = public_schedule(operation)
    booking = active_booking(citizen)
    api = session_client(alice).get(op_url(operation, f"flights/{flight.pk}/")).json()
    paxlst = client.get(
        reverse("flights:export", args=[operation.slug, flight.pk, "paxlst"])
    ).content.decode()

    assert hhmm in page.content.decode()
    assert message["departs"].time == hhmm
    assert [row.departs.time for row in schedule] == [hhmm]
    assert booking is not None and seat_of(booking).departs.time == hhmm
    assert api["departure_time_zone"] == AIRPORT_ZONE
    assert f"DTM+189:{local:%y%m%d%H%M}:201" in paxlst

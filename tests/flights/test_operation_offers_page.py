"""The operation's seat offers page: every live offer on every flight, each flight's offers
by how they ended and its empty seats, and staff answering for a person who calls."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Booking, Flight, SeatOffer
from evac.flights.offer_selectors import live_offers_of
from evac.flights.offers import offer_decline, offer_expire, offers_make
from evac.flights.services import flight_set_status
from evac.people.models import Citizen
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_flights(operation, nqz, kbp):
    return [
        make_flight(operation, nqz, kbp, seats=2, departs_at=now() + timedelta(days=days))
        for days in (2, 3)
    ]


def _page(client, operation):
    return client.get(reverse("flights:all_offers", args=[operation.slug]))


def _answer(client, operation, **data):
    return client.post(reverse("flights:answer_offer", args=[operation.slug]), data)


def _row(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : page.index("</tr>", start)]


def test_a_coordinator_sees_every_live_offer_and_each_flights_offers_by_how_they_ended(
    client, operation, almaty, two_flights, alice
):
    first, second = two_flights
    people = [make_citizen(operation, almaty, surname=f"Koval{c}") for c in "ABCDEF"]
    declined, expired = offers_make(flight=first, by=EVAC)
    offers_make(flight=second, by=EVAC)  # C and D
    offer_decline(offer=declined, by=EVAC)
    SeatOffer.objects.filter(pk=expired.pk).update(
        offered_at=now() - timedelta(hours=3), expires_at=now() - timedelta(minutes=1)
    )
    offer_expire(offer_id=expired.pk)
    client.force_login(alice)

    page = _page(client, operation).content.decode()

    assert 'data-live-offers="2"' in page
    for person in people[2:4]:
        assert person.surname.upper() in page
    for person in (people[0], people[1], *people[4:]):  # ended, or never asked
        assert person.surname.upper() not in page
    line = _row(page, f'data-flight="{first.number}"')
    # offered, accepted, declined, expired, withdrawn, seats on offer, empty seats
    assert [cell.split("<")[0] for cell in line.split('class="num"')[1:]][:6] == [
        ">0", ">0", ">1", ">1", ">0", ">0"
    ]  # fmt: skip
    assert "2 free, not offered" in line
    assert "0 free, not offered" in _row(page, f'data-flight="{second.number}"')
    assert "Accept for the caller" in page


def test_a_flight_that_left_says_how_many_seats_flew_empty(
    client, operation, almaty, nqz, kbp, alice
):
    flight = make_flight(operation, nqz, kbp, seats=3, departs_at=now() + timedelta(days=2))
    make_citizen(operation, almaty)
    offers_make(flight=flight, by=EVAC)
    flight_set_status(flight=flight, status=Flight.Status.CANCELLED, by=alice)
    gone = make_flight(operation, nqz, kbp, seats=4, departs_at=now() + timedelta(days=2))
    SeatOffer.objects.create(
        flight=gone,
        citizen=make_citizen(operation, almaty),
        seats=1,
        status="expired",
        decided_at=now(),
        expires_at=now() + timedelta(hours=1),
    )
    Flight.objects.filter(pk=gone.pk).update(status=Flight.Status.DEPARTED)
    client.force_login(alice)

    page = _page(client, operation).content.decode()

    assert "4 flew empty" in _row(page, f'data-flight="{gone.number}"')
    # The cancelled flight withdrew its offer: it made offers, so it is listed.
    assert 'data-live-offers="0"' not in page  # nothing live: no table
    assert ">1<" in _row(page, f'data-flight="{flight.number}"')


def test_an_officer_accepts_for_a_caller_and_declines_for_another(
    client, operation, almaty, two_flights, bob
):
    first, _second = two_flights
    people = [make_citizen(operation, almaty) for _ in range(2)]
    taken, refused = offers_make(flight=first, by=EVAC)
    client.force_login(bob)

    assert _answer(client, operation, do="accept", offer=taken.pk).status_code == 302
    _answer(client, operation, do="decline", offer=refused.pk)

    assert Booking.objects.get(citizen=people[0], is_active=True).flight_id == first.pk
    refused.refresh_from_db()
    assert (refused.status, refused.decided_by, refused.decided_via) == ("declined", bob, "staff")
    # An offer already answered is not answered twice: the page says so.
    page = client.post(
        reverse("flights:answer_offer", args=[operation.slug]),
        {"do": "accept", "offer": refused.pk},
        follow=True,
    ).content.decode()
    assert "no longer open" in page
    assert not Booking.objects.filter(citizen=people[1]).exists()


def test_a_viewer_reads_the_page_but_answers_nothing(client, operation, almaty, two_flights, carol):
    make_citizen(operation, almaty)
    (offer,) = offers_make(flight=two_flights[0], by=EVAC, limit=1)
    client.force_login(carol)

    page = _page(client, operation)
    assert page.status_code == 200
    assert 'data-live-offers="1"' in page.content.decode()
    assert "Accept for the caller" not in page.content.decode()
    assert _answer(client, operation, do="accept", offer=offer.pk).status_code == 403
    offer.refresh_from_db()
    assert offer.status == "offered"


def test_another_operations_coordinator_finds_neither_the_page_nor_our_offers(
    client, operation, almaty, two_flights, dave, other_operation
):
    make_citizen(operation, almaty)
    (offer,) = offers_make(flight=two_flights[0], by=EVAC, limit=1)
    client.force_login(dave)

    assert _page(client, operation).status_code == 404
    theirs = reverse("flights:answer_offer", args=[other_operation.slug])
    assert client.post(theirs, {"do": "accept", "offer": offer.pk}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == "offered"


def test_the_page_reads_the_same_few_queries_for_many_offers_and_flights(
    client, operation, almaty, nqz, kbp, alice, django_assert_max_num_queries
):
    def flights_and_offers(n: int) -> None:
        for _ in range(n):
            flight = make_flight(operation, nqz, kbp, seats=2, departs_at=now() + timedelta(days=2))
            make_citizen(operation, almaty)
            make_citizen(operation, almaty)
            offers_make(flight=flight, by=EVAC)

    client.force_login(alice)
    flights_and_offers(1)
    with CaptureQueriesContext(connection) as few:
        _page(client, operation)
    flights_and_offers(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = _page(client, operation)
    assert 'data-live-offers="12"' in page.content.decode()


# What the live offers' table shows of a person: their name, linked by reference code.
NAME_AND_LINK = {"id", "reference_code", "surname", "given_names"}


def test_the_live_offers_read_of_a_person_only_the_name_and_the_link(
    client, operation, almaty, two_flights, alice
):
    make_citizen(operation, almaty, surname="Koval", phone="+77011234567")
    offers_make(flight=two_flights[0], by=EVAC)

    with CaptureQueriesContext(connection) as read:
        live = list(live_offers_of(operation))
        shown = [
            (str(o.citizen), o.citizen.reference_code, o.flight.number, o.seats, o.expires_at)
            for o in live
        ]
        zones = {str(o.flight.departure_airport.zone) for o in live}  # as the page reads it

    assert [name.split()[0] for name, *_ in shown] == ["KOVAL"] and zones == {"Asia/Almaty"}
    (sql,) = [query["sql"] for query in read.captured_queries]
    citizen_columns = {f.column for f in Citizen._meta.concrete_fields}
    read_columns = {c for c in citizen_columns if f'"people_citizen"."{c}"' in sql}
    assert read_columns == NAME_AND_LINK, read_columns - NAME_AND_LINK
    assert "document_number" not in sql and '"phone"' not in sql
    client.force_login(alice)
    assert "KOVAL" in _page(client, operation).content.decode()

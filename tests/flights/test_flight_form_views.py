from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from evac.flights.models import Flight
from evac.flights.services import booking_create
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def new_year_2030(pin_clock):
    # The flights below are planned in January 2030, a few weeks ahead.
    pin_clock(datetime(2030, 1, 1, 9, 0, tzinfo=UTC))


def _form(nqz, kbp, **changes):
    data = {
        "number": "PS 9010",
        "carrier": "Ukraine International Airlines",
        "kind": "charter",
        "departure_airport": nqz.pk,
        "departs_local": "2030-01-20T10:40",
        "arrival_airport": kbp.pk,
        "arrives_local": "2030-01-20T13:10",
        "seats_total": "60",
        "notes": "",
    }
    data.update(changes)
    return data


def test_a_coordinator_creates_a_flight_in_local_times(client, operation, nqz, kbp, alice):
    client.force_login(alice)

    response = client.post(reverse("flights:new", args=[operation.slug]), _form(nqz, kbp))

    flight = Flight.objects.get(number="PS 9010")
    assert response.status_code == 302
    assert response["Location"] == reverse("flights:manifest", args=[operation.slug, flight.pk])
    assert flight.operation == operation and flight.status == Flight.Status.PLANNED
    # Typed as each airport's local time, stored in UTC.
    assert flight.departs_local.replace(tzinfo=None) == datetime(2030, 1, 20, 10, 40)
    assert flight.arrives_local.replace(tzinfo=None) == datetime(2030, 1, 20, 13, 10)
    assert flight.departs_at.astimezone(UTC).hour != 10
    assert flight.arrives_at == datetime(2030, 1, 20, 11, 10, tzinfo=UTC)  # Kyiv is UTC+2
    assert flight.seats_total == 60 and flight.kind == Flight.Kind.CHARTER


def test_the_form_says_times_are_local_to_each_airport(client, operation, alice):
    client.force_login(alice)

    page = client.get(reverse("flights:new", args=[operation.slug])).content.decode()

    assert "Local time at the departure airport" in page
    assert "Local time at the arrival airport" in page
    assert 'type="datetime-local"' in page


def test_arriving_before_departure_names_the_field_and_keeps_what_was_typed(
    client, operation, nqz, kbp, alice
):
    client.force_login(alice)
    data = _form(nqz, kbp, arrives_local="2030-01-20T04:00", number="PS 4242")

    response = client.post(reverse("flights:new", args=[operation.slug]), data)

    assert response.status_code == 200
    assert not Flight.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == ["arrives_local"]
    assert "must arrive after it departs" in form.errors["arrives_local"][0]
    page = response.content.decode()
    assert 'value="PS 4242"' in page
    assert 'value="2030-01-20T04:00"' in page and 'value="2030-01-20T10:40"' in page
    assert 'aria-invalid="true"' in page


def test_the_same_airport_at_both_ends_is_refused(client, operation, nqz, kbp, alice):
    client.force_login(alice)

    response = client.post(
        reverse("flights:new", args=[operation.slug]), _form(nqz, kbp, arrival_airport=nqz.pk)
    )

    assert "arrival_airport" in response.context["form"].errors
    assert not Flight.objects.exists()


def test_missing_fields_are_named(client, operation, nqz, kbp, alice):
    client.force_login(alice)

    response = client.post(
        reverse("flights:new", args=[operation.slug]),
        _form(nqz, kbp, number="", departs_local="not a time", seats_total="0"),
    )

    assert set(response.context["form"].errors) == {"number", "departs_local", "seats_total"}


def test_editing_shows_local_times_and_saves_changes(client, operation, flight, alice):
    client.force_login(alice)
    url = reverse("flights:edit", args=[operation.slug, flight.pk])
    local = flight.departs_local

    page = client.get(url).content.decode()
    response = client.post(
        url,
        _form(
            flight.departure_airport,
            flight.arrival_airport,
            number=flight.number,
            departs_local=f"{local:%Y-%m-%dT%H:%M}",
            arrives_local=f"{flight.arrives_local:%Y-%m-%dT%H:%M}",
            seats_total="12",
            notes="Two more seats from the carrier.",
        ),
    )

    assert f'value="{local:%Y-%m-%dT%H:%M}"' in page
    assert response.status_code == 302
    before = flight.departs_at
    flight.refresh_from_db()
    assert flight.seats_total == 12 and flight.notes == "Two more seats from the carrier."
    assert flight.departs_at == before


def test_seats_below_those_already_booked_are_refused_on_the_seats_field(
    client, operation, almaty, flight, alice
):
    for _ in range(3):
        booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=alice)
    client.force_login(alice)
    local = flight.departs_local

    response = client.post(
        reverse("flights:edit", args=[operation.slug, flight.pk]),
        _form(
            flight.departure_airport,
            flight.arrival_airport,
            departs_local=f"{local:%Y-%m-%dT%H:%M}",
            arrives_local=f"{flight.arrives_local:%Y-%m-%dT%H:%M}",
            seats_total="2",
        ),
    )

    assert response.status_code == 200
    assert "3 seats are already booked" in response.context["form"].errors["seats_total"][0]
    assert 'value="2"' in response.content.decode()
    flight.refresh_from_db()
    assert flight.seats_total == 10


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_officers_and_viewers_may_not_plan_flights(
    client, operation, flight, nqz, kbp, who, request
):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("flights:new", args=[operation.slug])).status_code == 403
    assert (
        client.post(reverse("flights:new", args=[operation.slug]), _form(nqz, kbp)).status_code
        == 403
    )
    edit = reverse("flights:edit", args=[operation.slug, flight.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, _form(nqz, kbp, seats_total="1")).status_code == 403
    assert Flight.objects.count() == 1


def test_a_member_of_another_operation_cannot_edit_our_flight(
    client, operation, flight, dave, nqz, kbp
):
    client.force_login(dave)

    response = client.post(
        reverse("flights:edit", args=[operation.slug, flight.pk]), _form(nqz, kbp, seats_total="1")
    )

    assert response.status_code == 404
    flight.refresh_from_db()
    assert flight.seats_total == 10


def test_a_flight_is_found_only_through_its_own_operation(
    client, operation, other_operation, nqz, kbp, dave
):
    theirs = Flight.objects.create(
        operation=operation,
        number="X1",
        carrier="X",
        departure_airport=nqz,
        arrival_airport=kbp,
        departs_at=datetime(2030, 1, 1, tzinfo=UTC),
        arrives_at=datetime(2030, 1, 1, 5, tzinfo=UTC),
        seats_total=5,
    )
    client.force_login(dave)

    # dave coordinates other_operation, yet our flight's pk under his slug is not found.
    response = client.get(reverse("flights:edit", args=[other_operation.slug, theirs.pk]))

    assert response.status_code == 404


def test_a_flight_has_its_own_report_time_or_three_hours_before_departure(
    client, operation, nqz, kbp, alice
):
    client.force_login(alice)
    url = reverse("flights:new", args=[operation.slug])

    client.post(url, _form(nqz, kbp, number="PS 9011"))
    client.post(url, _form(nqz, kbp, number="PS 9012", report_minutes_before="150"))

    usual, own = Flight.objects.get(number="PS 9011"), Flight.objects.get(number="PS 9012")
    assert usual.departs_at - usual.report_at == timedelta(hours=3)
    assert own.departs_at - own.report_at == timedelta(minutes=150)
    page = client.get(reverse("flights:manifest", args=[operation.slug, own.pk])).content.decode()
    assert "Be at the airport by" in page and "08:10" in page


def test_a_report_time_under_half_an_hour_is_refused_on_its_field(
    client, operation, nqz, kbp, alice
):
    client.force_login(alice)

    response = client.post(
        reverse("flights:new", args=[operation.slug]),
        _form(nqz, kbp, number="PS 9013", report_minutes_before="10"),
    )

    assert response.context["form"].errors["report_minutes_before"]
    assert not Flight.objects.filter(number="PS 9013").exists()

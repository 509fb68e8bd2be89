"""Impossible flights are refused by the services, beside the field that is wrong."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.core.errors import Conflict
from evac.flights.fill import flight_fill_from_waiting_list
from evac.flights.models import Booking, Flight
from evac.flights.previews import flight_status_preview
from evac.flights.selectors import flights_upcoming_and_past
from evac.flights.services import (
    FlightNotOpen,
    booking_create,
    booking_set_status,
    flight_create,
    flight_set_status,
    flight_update,
)
from evac.portal.selectors import public_schedule
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


def _plan(operation, nqz, kbp, by, **changes):
    # In three days, in the morning in Nur-Sultan: a few hours later is still the same day.
    departs = (now() + timedelta(days=3)).replace(hour=3, minute=0)
    fields = {
        "number": "PS 9010",
        "carrier": "Ukraine International Airlines",
        "departure_airport": nqz,
        "arrival_airport": kbp,
        "departs_at": departs,
        "arrives_at": departs + timedelta(hours=5),
        "seats_total": 60,
    }
    fields.update(changes)
    return flight_create(operation=operation, by=by, **fields)


def _refused_fields(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_more_seats_than_any_aircraft_carries_are_refused(operation, nqz, kbp, alice):
    errors = _refused_fields(lambda: _plan(operation, nqz, kbp, alice, seats_total=854))

    assert errors == {
        "seats_total": ["No aircraft carries more than 853 passengers; check the number of seats."]
    }
    assert _plan(operation, nqz, kbp, alice, seats_total=853).seats_total == 853


def test_a_new_flight_cannot_depart_in_the_past(operation, nqz, kbp, alice):
    past = now() - timedelta(hours=1)

    errors = _refused_fields(
        lambda: _plan(operation, nqz, kbp, alice, departs_at=past, arrives_at=past + timedelta(3))
    )

    assert list(errors) == ["departs_at"]
    assert "already passed" in errors["departs_at"][0]
    assert not Flight.objects.exists()


def test_a_flight_more_than_a_year_ahead_is_refused(operation, nqz, kbp, alice):
    far = now() + timedelta(days=366)

    errors = _refused_fields(
        lambda: _plan(operation, nqz, kbp, alice, departs_at=far, arrives_at=far + timedelta(1))
    )

    assert errors["departs_at"] == [
        "A flight can be planned at most 365 days ahead; check the date."
    ]


def test_a_flight_cannot_be_moved_into_the_past_but_an_old_one_can_be_edited(
    operation, nqz, kbp, alice
):
    old = make_flight(operation, nqz, kbp, departs_at=now() - timedelta(hours=2))

    assert flight_update(flight=old, by=alice, notes="Late: fog").notes == "Late: fog"
    errors = _refused_fields(
        lambda: flight_update(flight=old, by=alice, departs_at=old.departs_at - timedelta(hours=1))
    )
    assert list(errors) == ["departs_at"]


def test_a_suspended_departure_airport_is_refused_with_its_note(operation, ala, kbp, alice):
    ala.status_note = "Closed to civil aircraft."
    ala.save()

    errors = _refused_fields(lambda: _plan(operation, ala, kbp, alice))

    assert errors == {
        "departure_airport": [
            "ALA — Almaty airport is suspended; choose an open airport. Closed to civil aircraft."
        ]
    }


def test_the_same_flight_number_twice_on_the_same_day_is_refused(operation, nqz, kbp, alice):
    first = _plan(operation, nqz, kbp, alice)

    errors = _refused_fields(
        lambda: _plan(
            operation,
            nqz,
            kbp,
            alice,
            number="ps9010",
            departs_at=first.departs_at + timedelta(hours=2),
            arrives_at=first.arrives_at + timedelta(hours=2),
        )
    )

    assert list(errors) == ["number"]
    assert errors["number"][0].startswith("Flight PS 9010 already departs on ")


def test_the_same_number_on_another_day_or_after_a_cancellation_is_allowed(
    operation, nqz, kbp, alice
):
    first = _plan(operation, nqz, kbp, alice)
    next_day = first.departs_at + timedelta(days=1)
    _plan(operation, nqz, kbp, alice, departs_at=next_day, arrives_at=next_day + timedelta(1))
    flight_set_status(flight=first, status=Flight.Status.CANCELLED, by=alice)

    again = _plan(operation, nqz, kbp, alice, departs_at=first.departs_at + timedelta(hours=1))

    assert again.number == "PS 9010"


def test_the_admin_obeys_the_same_rules(client, operation, nqz, kbp, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    departs = now() - timedelta(days=1)

    response = client.post(
        reverse("admin:flights_flight_add"),
        {
            "operation": operation.pk,
            "number": "PS 1",
            "carrier": "UIA",
            "kind": "charter",
            "departure_airport": nqz.pk,
            "arrival_airport": kbp.pk,
            "departs_at_0": f"{departs:%Y-%m-%d}",
            "departs_at_1": f"{departs:%H:%M:%S}",
            "arrives_at_0": f"{departs + timedelta(hours=5):%Y-%m-%d}",
            "arrives_at_1": f"{departs + timedelta(hours=5):%H:%M:%S}",
            "seats_total": 900,
            "report_minutes_before": 180,
            "offers": "ask",
            "bookings-TOTAL_FORMS": 0,
            "bookings-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"departs_at", "seats_total"}
    assert not Flight.objects.exists()


# Departing and booking against the clock ------------------------------------------------


def test_a_flight_cannot_be_marked_departed_hours_before_its_time(
    operation, nqz, kbp, alice, pin_clock
):
    flight = make_flight(operation, nqz, kbp, status=Flight.Status.BOARDING)
    pin_clock(flight.departs_at - timedelta(hours=3, minutes=1))

    preview = flight_status_preview(flight=flight, status=Flight.Status.DEPARTED)
    with pytest.raises(Conflict) as refused:
        flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=alice)

    assert not preview.allowed
    assert refused.value.message == preview.refusal_message
    assert "it can be marked departed from" in preview.refusal_message
    pin_clock(flight.departs_at - timedelta(hours=3))
    departed = flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=alice)
    assert departed.status == Flight.Status.DEPARTED


def test_booking_onto_a_flight_whose_departure_has_passed_is_refused(
    operation, almaty, nqz, kbp, alice
):
    late = make_flight(operation, nqz, kbp, departs_at=now() - timedelta(minutes=5))
    person = make_citizen(operation, almaty)

    with pytest.raises(FlightNotOpen, match="nobody can be booked on it any more"):
        booking_create(flight=late, citizen=person, by=alice)
    with pytest.raises(FlightNotOpen):
        flight_fill_from_waiting_list(flight=late, by=alice)

    late.refresh_from_db()
    person.refresh_from_db()
    assert late.seats_booked == 0 and person.status == "waiting"


# What the public and the flight list see -------------------------------------------------


def test_a_planned_flight_is_not_on_the_public_schedule_until_it_opens(operation, nqz, kbp, alice):
    draft = make_flight(operation, nqz, kbp, status=Flight.Status.PLANNED, number="PS 7")
    assert [f.number for f in public_schedule(operation)] == []

    flight_set_status(flight=draft, status=Flight.Status.OPEN, by=alice)

    assert [f.number for f in public_schedule(operation)] == ["PS 7"]


def test_a_departed_flight_is_past_and_says_how_many_flew(
    client, operation, almaty, nqz, kbp, alice, carol, pin_clock
):
    departs = now() + timedelta(hours=2)  # left early, within the hours allowed
    flew, missed = make_citizen(operation, almaty), make_citizen(operation, almaty)
    flight = make_flight(operation, nqz, kbp, departs_at=departs, number="PS 8")
    seats = [booking_create(flight=flight, citizen=p, by=alice) for p in (flew, missed)]
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    booking_set_status(booking=seats[0], status=Booking.Status.BOARDED, by=alice)
    flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=alice)
    client.force_login(carol)

    url = reverse("flights:list", args=[operation.slug])
    upcoming = client.get(url).content.decode()
    past = client.get(url + "?when=past").content.decode()

    assert "PS 8" not in upcoming
    assert "PS 8" in past
    assert "1 person flew" in past and "(2 booked)" in past


def test_a_cancelled_flight_still_ahead_stays_with_the_upcoming_ones(operation, nqz, kbp):
    flight = make_flight(operation, nqz, kbp, departs_at=datetime(2030, 1, 1, tzinfo=UTC))
    flight_set_status(flight=flight, status=Flight.Status.CANCELLED, by=EVAC)

    upcoming, past = flights_upcoming_and_past(operation)

    assert list(upcoming) == [flight] and not past.exists()

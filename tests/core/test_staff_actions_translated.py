"""What the staff pages say after something was done, or refused, is in Ukrainian and
Russian too: form errors, messages after a change, refusals, the login's answers.

How a page is read and what counts as data: tests/core/staff_reading.py.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from evac.core.clock import now
from evac.notifications.models import Notification
from tests.core import staff_reading
from tests.core.staff_reading import (
    TRANSLATED,
    check,
    reading,
)

pytestmark = pytest.mark.django_db

# The world the pages are walked in (a fixture).
world = staff_reading.world


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

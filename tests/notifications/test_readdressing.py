"""New contact details: messages still waiting go to the new phone or e-mail, in the new language.

Whoever changes them (an officer's edit page, the API, the person on the portal, the admin),
the pending messages are rewritten in the same transaction; what a worker has claimed, sent,
failed or cancelled stays as it was, and a one-time code never follows the change.
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.cockpit.retention import anonymise_personal_data
from evac.core.actor import EVAC
from evac.flights.services import booking_create
from evac.notifications import addressing, broadcasts, delivery, periodic, services, travel
from evac.notifications.models import Broadcast, Notification
from evac.notifications.sms import PermanentSendError
from evac.people.models import Citizen
from evac.people.services import citizen_update
from evac.portal.codes import one_time_code_issue
from tests.api.client import op_url, session_client
from tests.factories import make_citizen
from tests.people.test_edit_views import as_posted, edit_url
from tests.portal.conftest import last_code

pytestmark = pytest.mark.django_db
N = Notification
NEW_PHONE = "+77017770000"


def _reminders(citizen: Citizen) -> list[Notification]:
    return list(N.objects.filter(citizen=citizen, kind=N.Kind.FLIGHT_REMINDER).order_by("due_at"))


def _send(notification: Notification) -> str:
    """Send it now, as a worker would once its time has come."""
    N.objects.filter(pk=notification.pk).update(due_at=notification.created_at)
    return delivery.notification_send(notification_id=notification.pk)


def _rows(citizen: Citizen) -> list[tuple]:
    return list(
        N.objects.filter(citizen=citizen)
        .order_by("pk")
        .values_list("status", "channel", "to_address", "language", "subject", "body")
    )


def _notification_queries(queries) -> list[str]:
    table = N._meta.db_table
    return [q["sql"] for q in queries if table in q["sql"]]


@pytest.fixture
def booked_olena(flight, olena):
    """Olena (Ukrainian, SMS only) on the flight: a confirmation and two reminders pending."""
    booking_create(flight=flight, citizen=olena, by=EVAC)
    return olena


# Who changes them -------------------------------------------------------------------------


def test_an_officer_correcting_the_phone_sends_the_reminder_to_the_new_number(
    client, bob, operation, booked_olena, sms_file
):
    before = _reminders(booked_olena)[0]
    client.force_login(bob)

    response = client.post(
        edit_url(operation, booked_olena), as_posted(booked_olena, phone=NEW_PHONE)
    )

    assert response.status_code == 302
    reminder = _reminders(booked_olena)[0]
    assert _send(reminder) == "sent"
    (line,) = sms_file.read()
    assert (line["to"], line["text"]) == (NEW_PHONE, before.body)
    assert line["text"].startswith("Нагадування: рейс")
    pending = N.objects.filter(citizen=booked_olena, status=N.Status.PENDING)
    assert set(pending.values_list("to_address", flat=True)) == {NEW_PHONE}
    # Same message, same time, same key: only where it goes changed.
    assert (reminder.due_at, reminder.idempotency_key) == (before.due_at, before.idempotency_key)


def test_a_new_phone_through_the_api_moves_the_waiting_messages_too(bob, operation, booked_olena):
    api = session_client(bob)

    response = api.patch(
        op_url(operation, f"citizens/{booked_olena.reference}/"), {"phone": NEW_PHONE}, "json"
    )

    assert response.status_code == 200
    pending = N.objects.filter(citizen=booked_olena, status=N.Status.PENDING)
    assert pending.count() == 3
    assert set(pending.values_list("to_address", flat=True)) == {NEW_PHONE}


def test_a_new_phone_given_on_the_portal_moves_the_waiting_reminders(
    client, operation, booked_olena, sms_file
):
    cache.clear()  # no rate limit left over from another test
    lookup = client.post(
        reverse("portal:status", args=[operation.slug]),
        {"reference": booked_olena.reference, "date_of_birth": "1985-03-14"},
    )
    assert lookup.status_code == 302
    client.post(
        reverse("portal:send_code", args=[operation.slug]), {"do": "contacts", "channel": "sms"}
    )
    (code_message,) = N.objects.filter(kind=N.Kind.ONE_TIME_CODE)
    assert _send(code_message) == "sent"

    client.post(
        reverse("portal:change", args=[operation.slug]),
        {
            "do": "contacts",
            "code": last_code(sms_file),
            "phone": NEW_PHONE,
            "email": "",
            "temporary_address": "",
        },
    )

    booked_olena.refresh_from_db()
    assert str(booked_olena.phone) == NEW_PHONE
    for reminder in _reminders(booked_olena):
        assert (reminder.status, reminder.to_address) == (N.Status.PENDING, NEW_PHONE)
    assert _send(_reminders(booked_olena)[0]) == "sent"
    assert sms_file.read()[-1]["to"] == NEW_PHONE
    # The code that confirmed the change went where the person asked for it, and stays so.
    code_message.refresh_from_db()
    assert code_message.to_address == "+77011234567"


def test_an_edit_in_the_admin_moves_the_waiting_messages_too(alice, booked_olena):
    alice.is_staff = alice.is_superuser = True
    request = RequestFactory().post("/")
    request.user = alice
    booked_olena.phone = NEW_PHONE

    admin.site._registry[Citizen].save_model(request, booked_olena, form=None, change=True)

    pending = N.objects.filter(citizen=booked_olena, status=N.Status.PENDING)
    assert set(pending.values_list("to_address", flat=True)) == {NEW_PHONE}


# What changes -----------------------------------------------------------------------------


def test_a_new_language_rewrites_the_reminder_in_it(bob, booked_olena, sms_file):
    assert _reminders(booked_olena)[0].body.startswith("Нагадування: рейс")

    citizen_update(citizen=booked_olena, by=bob, preferred_language="en")

    reminder = _reminders(booked_olena)[0]
    assert reminder.language == "en"
    assert reminder.body.startswith(f"Reminder: flight {reminder.flight.number} Nur-Sultan (NQZ)")
    assert "with your passport. Ref" in reminder.body
    assert _send(reminder) == "sent"
    (line,) = sms_file.read()
    assert (line["to"], line["text"]) == ("+77011234567", reminder.body)


def test_a_new_e_mail_address_gets_the_e_mails_still_waiting(bob, flight, john):
    booking_create(flight=flight, citizen=john, by=EVAC)

    citizen_update(citizen=john, by=bob, email="john.smith@example.org")

    reminder = _reminders(john)[0]
    assert (reminder.channel, reminder.to_address) == (N.Channel.EMAIL, "john.smith@example.org")
    assert _send(reminder) == "sent"
    (email,) = mail.outbox
    assert email.to == ["john.smith@example.org"]
    assert email.subject.startswith(f"Reminder: flight {flight.number} leaves")
    assert email.body == reminder.body


def test_without_the_phone_an_sms_becomes_an_e_mail_as_the_scheduler_would_send_it(
    bob, operation, almaty, flight
):
    person = make_citizen(
        operation, almaty, phone="+77011112233", email="hanna@example.org", preferred_language="uk"
    )
    booking_create(flight=flight, citizen=person, by=EVAC)
    assert {n.channel for n in _reminders(person)} == {N.Channel.SMS}

    citizen_update(citizen=person, by=bob, phone="")

    reminder = _reminders(person)[0]
    assert (reminder.channel, reminder.to_address) == (N.Channel.EMAIL, "hanna@example.org")
    assert reminder.subject.startswith(f"Нагадування: рейс {flight.number} вилітає")
    assert "\n" in reminder.body  # written as an e-mail, not an SMS on one line
    assert _send(reminder) == "sent"
    assert mail.outbox[0].to == ["hanna@example.org"]


def test_asking_for_e_mail_instead_of_sms_moves_the_waiting_messages(
    bob, operation, almaty, flight
):
    person = make_citizen(operation, almaty, phone="+77011112233", email="hanna@example.org")
    booking_create(flight=flight, citizen=person, by=EVAC)

    citizen_update(citizen=person, by=bob, preferred_channel=Citizen.Channel.EMAIL)

    pending = N.objects.filter(citizen=person, status=N.Status.PENDING)
    assert set(pending.values_list("channel", "to_address")) == {
        (N.Channel.EMAIL, "hanna@example.org")
    }


def test_with_no_phone_or_e_mail_left_the_messages_are_cancelled_with_the_reason(
    client, bob, operation, booked_olena, sms_file
):
    citizen_update(citizen=booked_olena, by=bob, phone="")

    messages = N.objects.filter(citizen=booked_olena)
    assert set(messages.values_list("status", flat=True)) == {N.Status.CANCELLED}
    assert all(m.last_error == addressing.NO_ADDRESS_LEFT for m in messages)
    assert _send(_reminders(booked_olena)[0]) == "not claimed"
    assert sms_file.read() == []
    client.force_login(bob)
    outbox = client.get(reverse("notifications:outbox", args=[operation.slug]))
    assert "there is no phone or e-mail left to send it to" in outbox.content.decode()


def test_a_broadcast_keeps_the_staff_words_with_a_subject_in_the_new_language(
    alice, bob, operation, almaty
):
    person = make_citizen(
        operation, almaty, phone="+77011112233", email="hanna@example.org", preferred_language="uk"
    )
    text = "Автобус о 06:00 від посольства."
    broadcasts.broadcast_send(
        operation=operation, by=alice, texts={"*": text}, token="t1", city=almaty
    )
    (broadcast,) = N.objects.filter(kind=N.Kind.BROADCAST)
    assert (broadcast.channel, broadcast.body) == (N.Channel.SMS, text)

    citizen_update(citizen=person, by=bob, phone="", preferred_language="en")

    broadcast.refresh_from_db()
    assert (broadcast.channel, broadcast.to_address) == (N.Channel.EMAIL, "hanna@example.org")
    assert (broadcast.subject, broadcast.body) == ("Message from the consular service", text)
    assert broadcast.created_by == alice and broadcast.status == N.Status.PENDING


def test_a_registration_confirmation_is_rewritten_with_its_portal_address(bob, olena):
    services.registration_confirmed(citizen=olena, status_url="https://evac.example/s/kz/")

    citizen_update(citizen=olena, by=bob, preferred_language="en")

    (confirmation,) = N.objects.filter(kind=N.Kind.REGISTRATION_CONFIRMATION)
    assert confirmation.body.startswith("The embassy has your registration")
    assert "Your status and flight: https://evac.example/s/kz/" in confirmation.body


def test_a_check_in_is_rewritten_in_the_new_language(bob, olena):
    assert periodic.check_ins_schedule() == 1

    citizen_update(citizen=olena, by=bob, preferred_language="en", phone=NEW_PHONE)

    (check_in,) = N.objects.filter(kind=N.Kind.CHECK_IN)
    assert check_in.to_address == NEW_PHONE
    assert "Please stay where you are in Almaty." in check_in.body


def test_a_message_that_can_not_be_written_again_keeps_its_words_or_is_cancelled(
    bob, operation, almaty
):
    person = make_citizen(operation, almaty, phone="+77011112233", email="hanna@example.org")
    services.registration_confirmed(citizen=person, status_url="https://evac.example/s/kz/")
    # As a row written before its parameters were kept: its portal address is lost.
    N.objects.filter(citizen=person).update(parameters={})
    (before,) = _rows(person)

    citizen_update(citizen=person, by=bob, phone=NEW_PHONE, preferred_language="en")

    (after,) = _rows(person)
    assert after == (*before[:2], NEW_PHONE, *before[3:])  # new number, words as they were

    citizen_update(citizen=person, by=bob, preferred_channel=Citizen.Channel.EMAIL)

    (message,) = N.objects.filter(citizen=person)
    assert (message.status, message.last_error) == (N.Status.CANCELLED, addressing.NOT_REWRITTEN)
    assert message.channel == N.Channel.SMS


def test_messages_waiting_from_before_get_their_parameters_from_their_rows(
    alice, operation, flight, booked_olena
):
    broadcasts.broadcast_send(
        operation=operation, by=alice, texts={"*": "Stay in."}, token="t", flight=flight
    )
    N.objects.update(parameters={})
    migration = importlib.import_module("evac.notifications.migrations.0004_parameters")

    migration.keep_parameters_of_pending(django_apps, None)

    reminders = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).order_by("due_at")
    assert [n.parameters for n in reminders] == [{"hours": 24}, {"hours": 3}]
    assert N.objects.get(kind=N.Kind.BROADCAST).parameters == {"text": "Stay in."}
    assert N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION).parameters == {}


def test_the_words_kept_for_rewriting_go_with_the_rest_when_an_operation_is_anonymised(
    alice, operation, almaty, olena
):
    text = "Koval family: the bus leaves at 06:00."
    broadcasts.broadcast_send(
        operation=operation, by=alice, texts={"*": text}, token="t1", city=almaty
    )
    assert N.objects.get(kind=N.Kind.BROADCAST).parameters == {"texts": {"*": text}}

    anonymise_personal_data(operation)

    assert N.objects.get(kind=N.Kind.BROADCAST).parameters == {}
    assert Broadcast.objects.get(token="t1").texts == {}


# What stays as it was ---------------------------------------------------------------------


def test_what_was_sent_failed_or_cancelled_stays_as_it_was(alice, bob, booked_olena, monkeypatch):
    confirmation = N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION)
    assert _send(confirmation) == "sent"
    first, second = _reminders(booked_olena)
    services.notification_cancel(notification=second, by=alice)

    class Refusing:
        def send(self, **kwargs):
            raise PermanentSendError("number not in service")

    monkeypatch.setattr("evac.notifications.delivery.sms_backend", lambda: Refusing())
    assert _send(first) == "failed"
    before = _rows(booked_olena)

    citizen_update(citizen=booked_olena, by=bob, phone=NEW_PHONE, preferred_language="en")

    assert _rows(booked_olena) == before


def test_sending_a_failed_message_again_uses_the_corrected_number(
    alice, bob, booked_olena, monkeypatch, sms_file
):
    first = _reminders(booked_olena)[0]

    class Refusing:
        def send(self, **kwargs):
            raise PermanentSendError("number not in service")

    with monkeypatch.context() as patched:
        patched.setattr("evac.notifications.delivery.sms_backend", lambda: Refusing())
        assert _send(first) == "failed"
    citizen_update(citizen=booked_olena, by=bob, phone=NEW_PHONE)

    services.notification_retry(notification=first, by=alice)

    first.refresh_from_db()
    assert (first.status, first.to_address) == (N.Status.PENDING, NEW_PHONE)
    assert _send(first) == "sent"
    assert NEW_PHONE in sms_file.path.read_text()


def test_a_message_a_worker_is_handing_over_goes_out_as_claimed(
    bob, booked_olena, sms_file, monkeypatch
):
    """The officer saves the new number while the provider has the reminder in hand."""
    first, second = _reminders(booked_olena)

    class ChangedMeanwhile:
        def send(self, **kwargs):
            citizen_update(citizen=booked_olena, by=bob, phone=NEW_PHONE, preferred_language="en")
            return sms_file.send(**kwargs)

    monkeypatch.setattr("evac.notifications.delivery.sms_backend", lambda: ChangedMeanwhile())
    assert _send(first) == "sent"

    (line,) = sms_file.read()
    first_now = N.objects.get(pk=first.pk)
    assert (line["to"], line["text"]) == ("+77011234567", first.body)
    assert (first_now.to_address, first_now.body) == ("+77011234567", first.body)
    assert first_now.status == N.Status.SENT
    second.refresh_from_db()
    assert (second.to_address, second.language) == (NEW_PHONE, "en")


def test_a_one_time_code_stays_with_the_contact_it_was_asked_for(bob, olena, sms_file):
    assert one_time_code_issue(citizen=olena, channel="sms") is not None
    (code,) = N.objects.filter(kind=N.Kind.ONE_TIME_CODE)

    citizen_update(citizen=olena, by=bob, phone=NEW_PHONE, preferred_language="en")

    code_now = N.objects.get(pk=code.pk)
    assert (code_now.to_address, code_now.language, code_now.body) == (
        "+77011234567",
        code.language,
        code.body,
    )
    assert _send(code_now) == "sent"
    assert sms_file.read()[0]["to"] == "+77011234567"


def test_asking_for_the_messages_again_finds_the_rewritten_ones(bob, flight, booked_olena):
    citizen_update(citizen=booked_olena, by=bob, phone=NEW_PHONE)
    before = _rows(booked_olena)
    booking = booked_olena.bookings.get()

    travel.bookings_made(bookings=[booking])

    assert _rows(booked_olena) == before
    assert N.objects.filter(citizen=booked_olena).count() == 3


# Nothing to do ----------------------------------------------------------------------------


def test_a_change_messages_do_not_depend_on_does_not_look_at_them(bob, booked_olena):
    citizen = Citizen.objects.get(pk=booked_olena.pk)
    with CaptureQueriesContext(connection) as queries:
        citizen_update(citizen=citizen, by=bob, notes="Has a cat", temporary_address="Abay 10")
        # The same number, written another way.
        citizen_update(citizen=citizen, by=bob, phone="+7 701 123 45 67")

    assert _notification_queries(queries.captured_queries) == []


def test_a_new_phone_for_a_person_reached_by_e_mail_leaves_the_messages_alone(bob, flight, john):
    booking_create(flight=flight, citizen=john, by=EVAC)
    before = _rows(john)

    with CaptureQueriesContext(connection) as queries:
        citizen_update(citizen=john, by=bob, phone=NEW_PHONE)

    assert _notification_queries(queries.captured_queries) == []
    assert _rows(john) == before


def test_when_only_a_one_time_code_waits_nothing_is_written(bob, olena):
    one_time_code_issue(citizen=olena, channel="sms")

    with CaptureQueriesContext(connection) as queries:
        citizen_update(citizen=olena, by=bob, phone=NEW_PHONE)

    touched = _notification_queries(queries.captured_queries)
    assert len(touched) == 1 and touched[0].startswith("SELECT")

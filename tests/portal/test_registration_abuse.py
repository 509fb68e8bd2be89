"""Self-registration can't be used to make phones ring or to jump the queue.

Registrations are limited per address and per phone or e-mail typed, and the messages a
registration sends are capped per destination in the outbox (the database).
"""

import pytest
from django.urls import reverse

from evac.notifications.models import Notification
from evac.people.models import Citizen
from tests.portal.test_registration import form, person

pytestmark = pytest.mark.django_db


def register(client, operation, almaty, n: int, ip: str, **fields):
    data = form(
        almaty,
        person(0, given_names=f"Person{n}", document_number=f"FE9000{n:02d}", **fields),
    )
    return client.post(reverse("portal:register", args=[operation.slug]), data, REMOTE_ADDR=ip)


def test_one_address_registering_many_people_is_refused(settings, client, operation, almaty):
    settings.EVAC_PORTAL_REGISTER_RATE_PER_IP = "2/h"
    for n in range(2):
        phone = f"+7701555000{n}"
        assert register(client, operation, almaty, n, "10.2.0.1", phone=phone).status_code == 302

    refused = register(client, operation, almaty, 2, "10.2.0.1", phone="+77015550009")

    assert refused.status_code == 429
    assert Citizen.objects.count() == 2
    assert (
        register(client, operation, almaty, 3, "10.2.0.2", phone="+77015550008").status_code == 302
    )


def test_one_phone_typed_into_many_registrations_is_refused_from_any_address(
    settings, client, operation, almaty
):
    settings.EVAC_PORTAL_REGISTER_RATE_PER_CONTACT = "2/h"
    for n in range(2):
        assert register(client, operation, almaty, n, f"10.3.0.{n}").status_code == 302

    refused = register(client, operation, almaty, 2, "10.3.0.9")

    assert refused.status_code == 429
    assert Citizen.objects.count() == 2
    assert Notification.objects.count() == 2


def test_registration_messages_to_one_phone_are_capped(settings, client, operation, almaty):
    settings.EVAC_PORTAL_REGISTER_RATE_PER_CONTACT = "100/h"
    settings.EVAC_PORTAL_CONFIRMATIONS_PER_DESTINATION = 2
    for n in range(4):
        assert register(client, operation, almaty, n, f"10.4.0.{n}").status_code == 302

    assert Citizen.objects.count() == 4
    confirmations = Notification.objects.filter(to_address="+77015551234")
    assert confirmations.count() == 2


def test_adding_people_to_the_form_does_not_count_as_registering(
    settings, client, operation, almaty
):
    settings.EVAC_PORTAL_REGISTER_RATE_PER_IP = "1/h"
    url = reverse("portal:register", args=[operation.slug])
    for _ in range(3):
        data = {**form(almaty, person(0)), "add_person": "1"}
        assert client.post(url, data).status_code == 200
    assert client.post(url, form(almaty, person(0))).status_code == 302


def test_the_cap_counts_an_e_mail_address_whatever_its_case(settings, client, operation, almaty):
    settings.EVAC_PORTAL_REGISTER_RATE_PER_CONTACT = "100/h"
    settings.EVAC_PORTAL_CONFIRMATIONS_PER_DESTINATION = 2
    spellings = ["olena@mail.kz", "Olena@mail.kz", "OLENA@MAIL.KZ", "olena@Mail.kz"]
    for n, email in enumerate(spellings):
        fields = {"phone": "", "email": email, "preferred_channel": "email"}
        assert register(client, operation, almaty, n, f"10.5.0.{n}", **fields).status_code == 302

    assert Citizen.objects.count() == 4
    assert Notification.objects.filter(to_address__iexact="olena@mail.kz").count() == 2

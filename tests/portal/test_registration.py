import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evac.notifications.models import Notification
from evac.people.models import Citizen, ContactLogEntry
from tests.factories import make_citizen
from tests.portal.conftest import send_all_pending

pytestmark = pytest.mark.django_db


def person(n: int, **fields) -> dict:
    base = {
        "surname": "Shevchenko",
        "given_names": "Iryna",
        "date_of_birth": "1988-04-23",
        "sex": "F",
        "nationality": "UA",
        "document_type": "passport",
        "document_number": "FE318227",
        "phone": "+77015551234",
        "email": "",
        "preferred_language": "en",
        "preferred_channel": "sms",
        "medical_details": "",
    }
    base.update(fields)
    return {f"people-{n}-{key}": value for key, value in base.items()}


def form(almaty, *people: dict, consent: bool = True) -> dict:
    data = {
        "people-TOTAL_FORMS": str(len(people)),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "12",
        "current_city": str(almaty.pk),
        "temporary_address": "Hotel Kazakhstan, room 714",
    }
    for p in people:
        data.update(p)
    if consent:
        data["consent"] = "on"
    return data


def test_a_mother_registers_herself_and_her_son_and_gets_codes_and_a_message(
    client, operation, almaty, sms_file
):
    son = person(
        1,
        given_names="Maksym",
        date_of_birth="2015-09-02",
        sex="M",
        document_number="FE318228",
        phone="",
    )
    url = reverse("portal:register", args=[operation.slug])

    response = client.post(url, form(almaty, person(0), son))

    assert response.status_code == 302
    mother = Citizen.objects.get(given_names="Iryna")
    boy = Citizen.objects.get(given_names="Maksym")
    assert mother.household_id == boy.household_id is not None
    assert mother.household.head_id == mother.pk
    assert {mother.source, boy.source} == {Citizen.Source.SELF_REGISTRATION}
    assert mother.temporary_address == "Hotel Kazakhstan, room 714"
    done = client.get(response["Location"]).content.decode()
    assert "Iryna Shevchenko" in done and "Maksym Shevchenko" in done
    # The codes go to the phone on file only: the page would show them to anyone.
    assert mother.reference not in done and boy.reference not in done
    sent = send_all_pending()
    assert [n.kind for n in sent] == [Notification.Kind.REGISTRATION_CONFIRMATION]
    text = sms_file.read()[-1]["text"]
    assert mother.reference in text
    # The boy has no phone: his code reaches him through his mother's message.
    assert f"With you: {boy.reference} Maksym." in text
    assert "We are sending the reference codes of everyone registered" in done


def test_a_registration_with_no_phone_or_e_mail_does_not_promise_a_message(
    client, operation, almaty, sms_file
):
    url = reverse("portal:register", args=[operation.slug])

    response = client.post(url, form(almaty, person(0, phone="")))

    done = client.get(response["Location"]).content.decode()
    assert "You gave no phone or e-mail, so we cannot send you anything." in done
    assert "We are sending" not in done
    assert not Notification.objects.exists()


def test_a_large_family_on_one_phone_gets_every_code_in_messages_of_three_segments_at_most(
    client, operation, almaty, sms_file
):
    from evac.notifications.sms import MAX_SMS_SEGMENTS, sms_length

    names = "Oleksandra Viktoriia Kostiantyn Yaroslava Myroslav Stanislava Volodymyr Khrystyna"
    names += " Anastasiia Oleksandr Sviatoslav Bohdana"
    family = [
        person(n, given_names=name, document_number=f"FE3100{n:02d}", preferred_language="uk")
        for n, name in enumerate(names.split())
    ]

    client.post(reverse("portal:register", args=[operation.slug]), form(almaty, *family))

    sent = [line["text"] for line in sms_file.read()] if send_all_pending() else []
    registered = Citizen.objects.filter(operation=operation)
    assert registered.count() == 12
    assert len(sent) >= 2  # one phone for all: one message and the codes that followed
    assert all(sms_length(text).segments <= MAX_SMS_SEGMENTS for text in sent)
    everything = " ".join(sent)
    assert all(citizen.reference in everything for citizen in registered)


def test_nobody_is_registered_without_consent(client, operation, almaty):
    url = reverse("portal:register", args=[operation.slug])
    response = client.post(url, form(almaty, person(0), consent=False))
    assert response.status_code == 200
    assert "We can only register you with your agreement." in response.content.decode()
    assert not Citizen.objects.exists()


def test_a_second_registration_with_the_same_document_makes_no_record_and_tells_staff(
    client, operation, almaty
):
    first = make_citizen(
        operation, almaty, surname="Bondar", document_number="FE318227", phone="+77011112233"
    )
    url = reverse("portal:register", args=[operation.slug])

    response = client.post(url, form(almaty, person(0, phone="+77019998877")))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Bondar" not in page and first.reference not in page
    assert Citizen.objects.count() == 1
    first.refresh_from_db()
    assert first.registration_repeated_at is not None
    entry = ContactLogEntry.objects.get(citizen=first)
    assert entry.direction == ContactLogEntry.Direction.INBOUND
    assert "Citizen portal" in entry.note and "+77019998877" in entry.note
    # The person on file is told on their own phone; the number typed gets nothing.
    told = Notification.objects.get()
    assert told.kind == Notification.Kind.REGISTRATION_REPEATED
    assert told.citizen == first and told.to_address == str(first.phone)


def _without_tokens(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.decode())


def test_a_likely_duplicate_gets_the_same_answer_as_a_new_registration(client, operation, almaty):
    """Nobody learns from the portal whether a document or a name is on file."""
    url = reverse("portal:register", args=[operation.slug])
    new = client.post(url, form(almaty, person(0)), REMOTE_ADDR="10.1.0.1")
    new_page = _without_tokens(client.get(new["Location"]).content)

    again = Client()
    repeated = again.post(url, form(almaty, person(0)), REMOTE_ADDR="10.1.0.2")
    repeated_page = _without_tokens(again.get(repeated["Location"]).content)

    assert (new.status_code, new["Location"]) == (repeated.status_code, repeated["Location"])
    assert new_page == repeated_page
    assert Citizen.objects.count() == 1


def test_add_a_person_shows_one_more_empty_form_and_keeps_what_was_typed(client, operation, almaty):
    url = reverse("portal:register", args=[operation.slug])
    data = form(almaty, person(0))
    data["add_person"] = "1"
    page = client.post(url, data).content.decode()
    assert 'name="people-1-surname"' in page and 'value="Shevchenko"' in page
    assert not Citizen.objects.exists()


def _writes(queries) -> int:
    return sum(q["sql"].startswith(("INSERT", "UPDATE")) for q in queries.captured_queries)


def test_a_likely_duplicate_costs_about_the_same_work_as_a_new_registration(
    client, operation, almaty, pin_clock
):
    """Each path writes a handful of rows and queues one message; neither stands out.

    The repeat comes an hour later, as someone probing for a person registered earlier
    would: it moves the person's "last heard from" to another quarter hour of the kept
    counts (people.time_counts), as a registration writes its own."""
    url = reverse("portal:register", args=[operation.slug])
    registered = pin_clock(datetime(2030, 1, 10, 9, 0, tzinfo=UTC))
    client.get(url)  # the operation, read once per process, is not part of either path
    with CaptureQueriesContext(connection) as new:
        client.post(url, form(almaty, person(0)), REMOTE_ADDR="10.1.0.1")
    pin_clock(registered + timedelta(hours=1))
    with CaptureQueriesContext(connection) as repeated:
        Client().post(url, form(almaty, person(0)), REMOTE_ADDR="10.1.0.2")

    assert abs(_writes(new) - _writes(repeated)) <= 2
    assert abs(len(new) - len(repeated)) <= 15
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == [
        Notification.Kind.REGISTRATION_CONFIRMATION,
        Notification.Kind.REGISTRATION_REPEATED,
    ]


def test_a_household_with_one_person_on_file_registers_the_others_and_links_them(
    client, operation, almaty
):
    """Iryna is on file; her husband and son typed with her are registered all the same."""
    url = reverse("portal:register", args=[operation.slug])
    first = client.post(url, form(almaty, person(0)), REMOTE_ADDR="10.1.0.1")
    first_page = _without_tokens(client.get(first["Location"]).content)
    iryna = Citizen.objects.get()
    husband = person(
        1,
        given_names="Taras",
        date_of_birth="1986-01-12",
        sex="M",
        document_number="FE318300",
        phone="+77015550001",
    )
    son = person(
        2,
        given_names="Maksym",
        date_of_birth="2015-09-02",
        sex="M",
        document_number="FE318301",
        phone="+77015550002",
    )

    again = Client()
    answer = again.post(url, form(almaty, person(0), husband, son), REMOTE_ADDR="10.1.0.2")
    answer_page = _without_tokens(again.get(answer["Location"]).content)

    assert (answer.status_code, answer["Location"]) == (first.status_code, first["Location"])
    # What a fresh registration of the three would show: the names typed, nothing more.
    typed = "henko</li><li>Taras Shevchenko</li><li>Maksym Shevchenko</li>"
    assert answer_page == first_page.replace("henko</li>", typed, 1)
    taras = Citizen.objects.get(given_names="Taras")
    maksym = Citizen.objects.get(given_names="Maksym")
    assert Citizen.objects.count() == 3
    assert taras.household_id == maksym.household_id is not None
    assert taras.household.head == taras
    # Staff find the link on the record on file, with the new people's references.
    note = ContactLogEntry.objects.filter(citizen=iryna).latest("pk").note
    assert taras.reference in note and maksym.reference in note
    confirmed = Notification.objects.filter(kind=Notification.Kind.REGISTRATION_CONFIRMATION)
    assert {n.to_address for n in confirmed if n.citizen_id != iryna.pk} == {
        "+77015550001",
        "+77015550002",
    }
    told = Notification.objects.get(kind=Notification.Kind.REGISTRATION_REPEATED)
    assert told.citizen == iryna

"""Document numbers in lists show only their last characters; the person's own page, the
edit form, the printed manifest and the carrier files show them whole; search still finds a
person by the whole number; the public portal shows none."""

import re

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.urls import reverse

from evac.flights.services import booking_create
from evac.people.privacy import mask_document
from tests.factories import make_citizen
from tests.people.sensitive import DOCUMENT, MASKED_DOCUMENT, sensitive_person, staff_pages
from tests.people.test_intake_views import OLENA, intake

# Where the whole number belongs: the person's own record, and the manifest the carrier and
# border control get (on paper and as a file).
WHOLE_NUMBER_PAGES = {"people:detail", "people:edit", "flights:print", "flights:export"}


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("FA1233456", "•••••3456"),
        ("AB123456", "•••••3456"),  # 8 characters: the shortest that keeps its tail
        ("ZQ73192846123456", "•••••3456"),  # the mask does not tell the length
        ("fa 123 3456", "•••••3456"),  # as typed, with spaces
        ("CR00017", "•••••••••"),  # too short to show 4 of them: masked whole
        ("X1", "•••••••••"),
        ("", ""),
    ],
)
def test_mask_document(number, shown):
    assert mask_document(number) == shown


def test_the_template_filter_masks():
    template = Template("{% load people_tags %}<code>{{ number|mask_document }}</code>")

    assert template.render(Context({"number": "FA1233456"})) == "<code>•••••3456</code>"


@pytest.fixture
def hanna(operation, almaty, flight, alice):
    return sensitive_person(operation, almaty, flight, by=alice)


@pytest.mark.django_db
def test_no_list_shows_a_whole_document_number(client, alice, hanna):
    client.force_login(alice)  # a coordinator opens every page

    pages = staff_pages(client, hanna, membership_id=alice.memberships.get().pk)

    lists = {"people:list", "flights:manifest", "flights:boarding", "notifications:outbox"}
    assert lists <= set(pages), "the crawl did not reach the lists"
    for name, html in pages.items():
        if name not in WHOLE_NUMBER_PAGES:
            assert DOCUMENT.casefold() not in html.casefold(), name
    assert f"<code>{MASKED_DOCUMENT}</code>" in pages["flights:manifest"]
    assert f"<code>{MASKED_DOCUMENT}</code>" in pages["flights:boarding"]


@pytest.mark.django_db
def test_the_persons_page_the_edit_form_the_print_and_the_export_show_the_whole_number(
    client, alice, hanna
):
    client.force_login(alice)

    pages = staff_pages(client, hanna, membership_id=alice.memberships.get().pk)

    for name in WHOLE_NUMBER_PAGES:
        assert DOCUMENT in pages[name], name


@pytest.mark.django_db
def test_search_by_the_whole_number_still_finds_the_person(client, carol, hanna):
    client.force_login(carol)
    person = hanna.person

    # Typed as read from the passport: lower case, with a dash.
    found = client.get(reverse("people:list", args=[person.operation.slug]), {"q": "zq7319-2846"})

    assert [c.pk for c in found.context["page"].object_list] == [person.pk]
    assert DOCUMENT not in found.content.decode()


@pytest.mark.django_db
def test_the_gate_finds_a_whole_number_on_the_server_and_its_page_holds_only_the_tail(
    client, bob, hanna
):
    client.force_login(bob)
    flight = hanna.flight
    url = reverse("flights:boarding", args=[flight.operation.slug, flight.pk])

    html = client.get(url, {"q": DOCUMENT.lower()}).content.decode()

    seat = re.search(rf'<li id="seat-{hanna.booking.pk}"[^>]*>', html).group(0)
    assert " hidden" not in seat
    searched = re.findall(r'data-search="([^"]*)"', html)
    assert searched and all(DOCUMENT.casefold() not in text for text in searched)
    assert DOCUMENT[-4:] in re.search(r'data-search="([^"]*)"', seat).group(1)


@pytest.mark.django_db
def test_the_duplicate_warning_at_intake_masks_the_numbers(client, bob, operation, almaty):
    make_citizen(
        operation,
        almaty,
        surname=OLENA["surname"],
        given_names=OLENA["given_names"],
        date_of_birth=OLENA["date_of_birth"],
        document_number=DOCUMENT,
    )
    client.force_login(bob)

    html = client.post(reverse("people:new", args=[operation.slug]), intake(almaty, OLENA))

    content = html.content.decode()
    assert "may already be registered" in content
    assert MASKED_DOCUMENT in content and DOCUMENT not in content
    assert "•••••3456" in content  # what was typed ("fa 123 456"), in the warning too


@pytest.mark.django_db
def test_the_waiting_list_shows_no_whole_number(client, alice, operation, almaty, flight):
    make_citizen(operation, almaty, surname="Dovzhenko", document_number=DOCUMENT)
    client.force_login(alice)

    response = client.get(reverse("flights:add_passengers", args=[operation.slug, flight.pk]))

    assert "DOVZHENKO" in response.content.decode()
    assert DOCUMENT not in response.content.decode()


@pytest.mark.django_db
def test_the_public_portal_shows_no_document_number(client, operation, almaty, flight, alice):
    person = make_citizen(operation, almaty, document_number=DOCUMENT, phone="+77015550123")
    booking_create(flight=flight, citizen=person, by=alice)
    cache.clear()  # the portal's rate limits count in the cache
    op = operation.slug

    status = client.post(
        reverse("portal:status", args=[op]),
        {"reference": person.reference, "date_of_birth": person.date_of_birth.isoformat()},
        follow=True,
    )
    pages = [status] + [
        client.get(reverse("portal:change", args=[op]), {"do": action})
        for action in ("confirm", "contacts", "stay", "left")
    ]

    assert person.reference in status.content.decode()  # the lookup worked
    for page in pages:
        html = page.content.decode()
        assert DOCUMENT not in html and MASKED_DOCUMENT not in html and "2846" not in html

"""A coordinator's reason for a child flying without an adult: given on the add-passengers
page, shown on the print view and carried in the CSV and XLSX files."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evac.core.actor import EVAC
from evac.flights.exports import COLUMNS
from evac.flights.models import Booking
from evac.flights.services import booking_create
from evac.people.models import Citizen
from evac.people.services import household_register

pytestmark = pytest.mark.django_db


def _child(operation, city) -> Citizen:
    household = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            {
                "surname": "Kravets",
                "given_names": name,
                "date_of_birth": born,
                "sex": "M",
                "nationality": "UA",
                "document_type": Citizen.DocumentType.PASSPORT,
                "document_number": f"KR{i:06d}",
                "current_city": city,
            }
            for i, (name, born) in enumerate(
                [("Andrii", date(1978, 1, 1)), ("Maksym", date(2018, 2, 2))]
            )
        ],
    )
    return household.members.order_by("pk").last()


def _add_url(flight) -> str:
    return reverse("flights:add_passengers", args=[flight.operation.slug, flight.pk])


def test_the_add_passengers_page_refuses_a_child_alone_and_says_why(
    client, operation, almaty, flight, alice
):
    child = _child(operation, almaty)
    client.force_login(alice)

    page = client.post(
        _add_url(flight), {"action": "book", "unit": [f"citizen:{child.pk}"]}, follow=True
    )

    said = [str(m) for m in page.context["messages"]]
    assert any("without an adult of their household" in m for m in said)
    assert 'name="unaccompanied_reason"' in page.content.decode()
    assert not Booking.objects.exists()


def test_with_a_reason_the_add_passengers_page_books_the_child(
    client, operation, almaty, flight, alice
):
    child = _child(operation, almaty)
    client.force_login(alice)

    client.post(
        _add_url(flight),
        {
            "action": "book",
            "unit": [f"citizen:{child.pk}"],
            "unaccompanied_reason": "travels with grandmother",
        },
    )

    assert Booking.objects.get(citizen=child).unaccompanied_reason == "travels with grandmother"


def test_the_print_view_and_the_files_show_the_reason(client, operation, almaty, flight, alice):
    child = _child(operation, almaty)
    booking_create(flight=flight, citizen=child, by=alice, unaccompanied_reason="with aunt Nina")
    client.force_login(alice)
    args = [operation.slug, flight.pk]

    printed = client.get(reverse("flights:print", args=args)).content.decode()
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("flights:export", args=[*args, "csv"])).content.decode())
        )
    )
    book = load_workbook(
        io.BytesIO(client.get(reverse("flights:export", args=[*args, "xlsx"])).content)
    )

    assert "Without an adult of the household: with aunt Nina" in printed
    column = COLUMNS.index("Unaccompanied reason")
    assert rows[0][column] == "Unaccompanied reason" and rows[1][column] == "with aunt Nina"
    sheet = book.worksheets[-1]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][column] == "Unaccompanied reason" and values[1][column] == "with aunt Nina"

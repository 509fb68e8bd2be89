"""Special-service codes and document checks: worked out from what Evac records, shown on the
manifest, the print view, boarding, the person's page, the files and the dashboard."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from pydifact.segmentcollection import Interchange

from evac.core.actor import EVAC
from evac.flights.checks import passenger_checks, special_service_codes
from evac.flights.models import Flight
from evac.flights.selectors import expiring_documents
from evac.flights.services import booking_create, flight_set_status
from evac.people.documents import DocumentIssue, document_issues
from evac.people.models import Citizen, Household
from tests.factories import make_citizen
from tests.pages import text

pytestmark = pytest.mark.django_db

ARRIVAL = date(2030, 1, 13)  # the day the default test flight lands
D = Citizen.DocumentType


# Special-service codes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needs", "codes"),
    [
        ({}, ()),
        ({"wheelchair": "WCHR"}, ("WCHR",)),
        ({"wheelchair": "WCHS"}, ("WCHS",)),
        ({"wheelchair": "WCHC", "medical_need": True}, ("WCHC", "MEDA")),
        ({"stretcher": True, "wheelchair": "WCHC"}, ("STCR",)),
        ({"reduced_mobility": True}, ("MAAS",)),  # no level recorded: assistance, no guess
        ({"pregnant": True}, ("OTHS/PREGNANT",)),
    ],
)
def test_recorded_needs_map_to_iata_codes(operation, almaty, needs, codes):
    person = make_citizen(operation, almaty, **needs)

    assert special_service_codes(person, day=ARRIVAL, unaccompanied=False) == codes


def test_a_child_under_two_on_the_day_of_travel_is_an_infant(operation, almaty):
    baby = make_citizen(operation, almaty, date_of_birth=date(2026, 3, 1))

    assert special_service_codes(baby, day=date(2028, 2, 29), unaccompanied=False) == ("INFT",)
    assert special_service_codes(baby, day=date(2028, 3, 1), unaccompanied=False) == ()


def test_a_wheelchair_or_stretcher_counts_as_reduced_mobility(operation, almaty):
    person = make_citizen(operation, almaty, wheelchair="WCHS")

    assert person.reduced_mobility is True


def test_a_minor_without_an_adult_of_their_household_on_board_is_umnr(operation, almaty, flight):
    family = Household.objects.create(operation=operation)
    mother = make_citizen(operation, almaty, household=family)
    son = make_citizen(operation, almaty, household=family, date_of_birth=date(2020, 1, 1))
    alone = make_citizen(operation, almaty, date_of_birth=date(2016, 5, 5))
    seats = {
        p.pk: booking_create(flight=flight, citizen=p, by=EVAC, unaccompanied_reason="escorted")
        for p in (son, alone)
    }

    first = passenger_checks(flight, flight.bookings.select_related("citizen"))
    booking_create(flight=flight, citizen=mother, by=EVAC)
    second = passenger_checks(flight, flight.bookings.select_related("citizen"))

    assert "UMNR" in first[seats[son.pk].pk].special_service
    assert "UMNR" not in second[seats[son.pk].pk].special_service
    assert "UMNR" in second[seats[alone.pk].pk].special_service


# Document checks --------------------------------------------------------------------------


def test_a_document_expiring_before_arrival_is_flagged_on_the_day_itself_not(operation, almaty):
    before = make_citizen(operation, almaty, document_expires_on=ARRIVAL - timedelta(days=1))
    on_the_day = make_citizen(operation, almaty, document_expires_on=ARRIVAL)

    assert document_issues(before, arrival_day=ARRIVAL) == (DocumentIssue.EXPIRES,)
    assert document_issues(on_the_day, arrival_day=ARRIVAL) == ()


def test_the_expiry_margin_is_configurable(operation, almaty, settings):
    settings.EVAC_DOCUMENT_EXPIRY_MARGIN_DAYS = 30
    person = make_citizen(operation, almaty, document_expires_on=ARRIVAL + timedelta(days=29))

    assert document_issues(person, arrival_day=ARRIVAL) == (DocumentIssue.EXPIRES,)


@pytest.mark.parametrize(
    ("fields", "issues"),
    [
        ({"document_number": "FA123456"}, ()),
        ({"document_number": "fa 123-456"}, ()),  # as typed from the passport
        ({"document_number": "12"}, (DocumentIssue.NUMBER,)),
        ({"document_number": "PASSPORT"}, (DocumentIssue.NUMBER,)),  # no digit
        ({"document_number": "FA12#456"}, (DocumentIssue.NUMBER,)),
        ({"document_type": D.NONE, "document_number": ""}, (DocumentIssue.NO_DOCUMENT,)),
        # A child's document on an adult, an identity card on a 10-year-old.
        ({"document_type": D.CHILD_TRAVEL_DOCUMENT}, (DocumentIssue.AGE,)),
        ({"document_type": D.BIRTH_CERTIFICATE}, (DocumentIssue.AGE,)),
        (
            {"document_type": D.NATIONAL_ID, "date_of_birth": date(2020, 1, 1)},
            (DocumentIssue.AGE,),
        ),
    ],
)
def test_malformed_missing_and_implausible_documents_are_flagged(operation, almaty, fields, issues):
    person = make_citizen(operation, almaty, **fields)

    assert document_issues(person, arrival_day=ARRIVAL) == issues


@pytest.mark.parametrize(
    "document_type", [D.CHILD_TRAVEL_DOCUMENT, D.BIRTH_CERTIFICATE, D.EMERGENCY_CERTIFICATE]
)
def test_a_ten_year_old_without_a_passport_is_registrable_and_not_flagged(
    operation, almaty, document_type
):
    child = make_citizen(
        operation,
        almaty,
        date_of_birth=date(2020, 1, 1),
        document_type=document_type,
        document_number="XA1234567",
    )

    assert child.document_type == document_type
    assert document_issues(child, arrival_day=ARRIVAL) == ()


# Where they show ----------------------------------------------------------------------------


@pytest.fixture
def checked_flight(operation, almaty, flight, alice):
    expired = make_citizen(
        operation,
        almaty,
        surname="Expired",
        wheelchair="WCHC",
        document_expires_on=ARRIVAL - timedelta(days=3),
    )
    malformed = make_citizen(operation, almaty, surname="Malformed", document_number="12")
    fine = make_citizen(operation, almaty, surname="Fine", medical_need=True)
    for person in (expired, malformed, fine):
        booking_create(flight=flight, citizen=person, by=alice)
    return flight


def test_the_manifest_shows_codes_flags_and_the_count_in_the_header(client, checked_flight, carol):
    client.force_login(carol)

    response = client.get(
        reverse("flights:manifest", args=[checked_flight.operation.slug, checked_flight.pk])
    )

    page = text(response)
    assert response.context["document_checks"]["flagged"] == 2
    assert "2 passengers have a document to check" in page
    assert "1 expires before arrival" in page and "1 malformed number" in page
    assert "WCHC" in page and "MEDA" in page
    assert "document expires before arrival" in page


def test_boarding_mode_and_the_print_view_carry_them_too(client, checked_flight, bob):
    flight_set_status(flight=checked_flight, status=Flight.Status.BOARDING, by=EVAC)
    client.force_login(bob)
    slug = checked_flight.operation.slug

    boarding = text(client.get(reverse("flights:boarding", args=[slug, checked_flight.pk])))
    printed = text(client.get(reverse("flights:print", args=[slug, checked_flight.pk])))

    for page in (boarding, printed):
        assert "WCHC" in page and "document number malformed" in page
        assert "2 passengers have a document to check" in page


def test_the_files_carry_the_codes_and_the_flags(client, checked_flight, bob):
    client.force_login(bob)
    slug, pk = checked_flight.operation.slug, checked_flight.pk

    csv_text = client.get(reverse("flights:export", args=[slug, pk, "csv"])).content.decode()
    edi = client.get(reverse("flights:export", args=[slug, pk, "paxlst"])).content.decode()

    rows = {row["Surname"]: row for row in csv.DictReader(io.StringIO(csv_text))}
    assert rows["EXPIRED"]["Special service"] == "WCHC"
    assert rows["EXPIRED"]["Document check"] == "document expires before arrival"
    assert rows["MALFORMED"]["Document check"] == "document number malformed"
    assert rows["FINE"]["Special service"] == "MEDA" and rows["FINE"]["Document check"] == ""
    (message,) = Interchange.from_str(edi).get_messages()
    free_texts = [s.elements[3] for s in message.get_segments("FTX")]
    assert sorted(free_texts) == ["MEDA", "WCHC"]


def test_the_persons_page_flags_a_document_expiring_before_their_flight(
    client, checked_flight, carol
):
    expired = Citizen.objects.get(surname="Expired")
    client.force_login(carol)

    page = text(
        client.get(reverse("people:detail", args=[expired.operation.slug, expired.reference_code]))
    )

    assert "document expires before arrival" in page


def test_a_coordinator_sees_the_count_on_the_dashboard(
    client, checked_flight, operation, almaty, alice, carol
):
    make_citizen(operation, almaty, document_expires_on=date(2020, 6, 1))  # waiting

    counts = expiring_documents(operation)
    client.force_login(alice)
    coordinator = client.get(reverse("operations:dashboard", args=[operation.slug]))
    client.force_login(carol)
    viewer = client.get(reverse("operations:dashboard", args=[operation.slug]))

    assert (counts.booked, counts.waiting) == (1, 1)
    assert 'data-expiring-documents="2"' in coordinator.content.decode()
    assert "data-expiring-documents" not in viewer.content.decode()

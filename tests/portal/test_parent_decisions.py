"""A parent who decides on the portal to stay or to leave is told what happens to their
children, and the service refuses what would leave a child on a flight without an adult."""

from datetime import date

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.models import Booking
from evac.flights.services import household_book
from evac.people.models import Citizen
from evac.people.services import household_register
from evac.portal.decisions import ChildrenOnBoard, portal_decision_preview
from evac.portal.services import portal_decide
from tests.portal.conftest import last_code, send_all_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(operation, almaty) -> list[Citizen]:
    household = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            {
                "surname": "Rudenko",
                "given_names": name,
                "date_of_birth": born,
                "sex": "F",
                "nationality": "UA",
                "document_type": Citizen.DocumentType.PASSPORT,
                "document_number": f"RU{i:06d}",
                "current_city": almaty,
                "phone": "+77011234567" if i == 0 else "",
                "preferred_language": "en",
            }
            for i, (name, born) in enumerate(
                [("Halyna", date(1984, 5, 5)), ("Ivanko", date(2015, 1, 1))]
            )
        ],
    )
    return list(household.members.order_by("pk"))


def _looked_up(client, operation, parent):
    client.post(
        reverse("portal:status", args=[operation.slug]),
        {"reference": parent.reference, "date_of_birth": "1984-05-05"},
    )
    return client


def _code(client, operation, action, sms_file) -> str:
    client.post(
        reverse("portal:send_code", args=[operation.slug]), {"do": action, "channel": "sms"}
    )
    send_all_pending()
    return last_code(sms_file)


def test_a_waiting_parent_is_told_the_children_wait_without_an_adult(
    client, operation, family, sms_file
):
    parent, _child = family
    _looked_up(client, operation, parent)

    page = client.get(reverse("portal:change", args=[operation.slug]), {"do": "stay"})

    expected = portal_decision_preview(citizen=parent, status=Citizen.Status.DECIDED_TO_STAY)
    assert expected.children_left_behind == 1 and not expected.refusal
    shown = page.content.decode()
    assert all(sentence.replace("'", "&#x27;") in shown for sentence in expected.consequences)
    assert "Send me a code" in shown

    code = _code(client, operation, "stay", sms_file)
    client.post(reverse("portal:change", args=[operation.slug]), {"do": "stay", "code": code})
    parent.refresh_from_db()
    assert parent.status == Citizen.Status.DECIDED_TO_STAY


def test_a_parent_flying_with_children_is_refused_on_the_portal_by_the_service(
    client, operation, family, flight, alice, sms_file
):
    parent, _child = family
    household_book(flight=flight, household=parent.household, by=alice)
    parent.refresh_from_db()
    _looked_up(client, operation, parent)

    page = client.get(reverse("portal:change", args=[operation.slug]), {"do": "left"})
    code = _code(client, operation, "left", sms_file)

    refusal = portal_decision_preview(citizen=parent, status=Citizen.Status.LEFT_BY_OWN_MEANS)
    assert refusal.children_on_board == 1
    assert refusal.refusal.replace("'", "&#x27;") in page.content.decode()
    assert "Send me a code" not in page.content.decode()
    with pytest.raises(ChildrenOnBoard):
        portal_decide(citizen=parent, status=Citizen.Status.LEFT_BY_OWN_MEANS, code=code)
    parent.refresh_from_db()
    assert parent.status == Citizen.Status.BOOKED
    assert Booking.objects.filter(is_active=True).count() == 2

"""Every number on the dashboard that links to the citizen list is the length of that list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evac.core.actor import EVAC
from evac.flights.services import booking_create
from evac.people.models import Citizen
from evac.people.services import citizen_set_status
from evac.people.time_counts import kept_for
from tests.factories import make_citizen
from tests.pages import links

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(operation, almaty, nur_sultan, flight):
    # The list filters by the real clock, so the dashboard is read by the real clock here.
    now = timezone.now()
    for n in range(9):
        citizen = make_citizen(operation, almaty if n % 3 else nur_sultan, medical_need=n % 4 == 0)
        with kept_for(citizen.pk):  # a write behind saves' back says so, as the services do
            Citizen.objects.filter(pk=citizen.pk).update(registered_at=now - timedelta(days=n))
        if n == 1:
            booking_create(flight=flight, citizen=citizen, by=EVAC)
        elif n in (2, 5):
            citizen_set_status(citizen=citizen, status=Citizen.Status.UNREACHABLE, by=EVAC)
        elif n == 7:
            citizen_set_status(citizen=citizen, status=Citizen.Status.DECIDED_TO_STAY, by=EVAC)


def test_each_count_is_the_number_of_people_in_the_list_it_links_to(
    client, carol, operation, people
):
    client.force_login(carol)
    dashboard = client.get(reverse("operations:dashboard", args=[operation.slug]))
    citizens = reverse("people:list", args=[operation.slug])
    counted = [
        (href, int(text.split()[0]))
        for href, text in links(dashboard)
        if href.startswith(citizens) and text[:1].isdigit()
    ]
    assert len(counted) >= 12  # registered, six statuses, two cities twice, not contacted

    for href, number in counted:
        listed = client.get(href).context["page"].paginator.count
        assert listed == number, f"{href} lists {listed}, the dashboard says {number}"

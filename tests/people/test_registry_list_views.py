"""The citizen list: each filter, filters together, sorting, pagination, and who sees what."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from evac.core.clock import now, today
from evac.people.filters import SORT_CHOICES
from evac.people.models import Citizen, ContactLogEntry, years_before
from evac.people.services import citizen_set_status, contact_log_add, household_register
from tests.factories import make_citizen, make_citizens_in_bulk

pytestmark = pytest.mark.django_db


def listed(client, operation, **params) -> list[Citizen]:
    response = client.get(reverse("people:list", args=[operation.slug]), params)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.fixture
def as_officer(client, bob):
    client.force_login(bob)
    return client


def test_the_list_shows_everyone_in_the_operation_and_nobody_else(
    as_officer, operation, other_operation, almaty
):
    ours = make_citizen(operation, almaty, surname="Koval", surname_native="Коваль")
    make_citizen(other_operation, almaty, surname="Stranger")

    response = as_officer.get(reverse("people:list", args=[operation.slug]))

    assert list(response.context["page"].object_list) == [ours]
    content = response.content.decode()
    assert ours.reference in content and "Коваль" in content
    assert "Stranger" not in content
    assert reverse("people:new", args=[operation.slug]) in content


def test_a_viewer_sees_the_list_but_no_way_to_register(client, carol, operation, almaty):
    make_citizen(operation, almaty)
    client.force_login(carol)

    response = client.get(reverse("people:list", args=[operation.slug]))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1
    assert reverse("people:new", args=[operation.slug]) not in response.content.decode()


def test_status_filters_one_or_several_statuses(as_officer, operation, almaty, bob):
    waiting = make_citizen(operation, almaty)
    staying = make_citizen(operation, almaty)
    gone = make_citizen(operation, almaty)
    citizen_set_status(citizen=staying, status=Citizen.Status.DECIDED_TO_STAY, by=bob)
    citizen_set_status(citizen=gone, status=Citizen.Status.LEFT_BY_OWN_MEANS, by=bob)

    assert listed(as_officer, operation, status="waiting") == [waiting]
    assert set(listed(as_officer, operation, status=["waiting", "decided_to_stay"])) == {
        waiting,
        staying,
    }


def test_city_filter(as_officer, operation, almaty, nur_sultan):
    in_almaty = make_citizen(operation, almaty)
    make_citizen(operation, nur_sultan)

    assert listed(as_officer, operation, city=almaty.pk) == [in_almaty]


def test_vulnerable_filter_keeps_medical_mobility_pregnancy_minors_and_elderly(
    as_officer, operation, almaty
):
    vulnerable = {
        make_citizen(operation, almaty, medical_need=True, medical_details="insulin"),
        make_citizen(operation, almaty, reduced_mobility=True),
        make_citizen(operation, almaty, pregnant=True),
        make_citizen(operation, almaty, date_of_birth=years_before(today(), 7)),
        make_citizen(operation, almaty, date_of_birth=years_before(today(), 80)),
    }
    make_citizen(operation, almaty, date_of_birth=date(1985, 1, 1))

    assert set(listed(as_officer, operation, vulnerable="1")) == vulnerable
    # Unticked means everybody, not "only those who are not vulnerable".
    assert len(listed(as_officer, operation, vulnerable="")) == 6


def test_household_filter_tells_families_from_people_travelling_alone(
    as_officer, operation, almaty, bob
):
    family = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=bob,
        members=[_person(almaty, "Melnyk", "Oksana"), _person(almaty, "Melnyk", "Petro")],
    )
    alone = make_citizen(operation, almaty)

    assert set(listed(as_officer, operation, household="yes")) == set(family.members.all())
    assert listed(as_officer, operation, household="no") == [alone]


def test_not_contacted_counts_registration_as_the_last_time_we_heard(
    as_officer, operation, almaty, bob
):
    heard_5_days_ago = make_citizen(operation, almaty)
    heard_yesterday = make_citizen(operation, almaty)
    registered_long_ago_never_heard = make_citizen(operation, almaty)
    registered_today_never_heard = make_citizen(operation, almaty)
    for person, days in ((heard_5_days_ago, 5), (heard_yesterday, 1)):
        contact_log_add(
            citizen=person,
            channel=ContactLogEntry.Channel.PHONE,
            direction=ContactLogEntry.Direction.OUTBOUND,
            outcome=ContactLogEntry.Outcome.REACHED,
            at=now() - timedelta(days=days),
            by=bob,
        )
    Citizen.objects.filter(
        pk__in=[heard_5_days_ago.pk, heard_yesterday.pk, registered_long_ago_never_heard.pk]
    ).update(registered_at=now() - timedelta(days=10))

    found = set(listed(as_officer, operation, not_contacted_days=3))

    assert found == {heard_5_days_ago, registered_long_ago_never_heard}
    assert registered_today_never_heard not in found


def test_filters_combine(as_officer, operation, almaty, nur_sultan, bob):
    wanted = make_citizen(operation, almaty, medical_need=True, medical_details="dialysis")
    make_citizen(operation, nur_sultan, medical_need=True, medical_details="dialysis")
    make_citizen(operation, almaty)
    stays = make_citizen(operation, almaty, medical_need=True, medical_details="dialysis")
    citizen_set_status(citizen=stays, status=Citizen.Status.DECIDED_TO_STAY, by=bob)

    found = listed(
        as_officer,
        operation,
        status="waiting",
        city=almaty.pk,
        vulnerable="1",
        household="no",
        not_contacted_days=0,
    )

    assert found == [wanted]


def test_a_filter_that_cannot_be_read_lists_nobody_and_says_which(as_officer, operation, almaty):
    make_citizen(operation, almaty)

    response = as_officer.get(
        reverse("people:list", args=[operation.slug]), {"status": "lost", "household": "maybe"}
    )

    assert list(response.context["page"].object_list) == []
    errors = response.context["filters"].form.errors
    assert set(errors) == {"status", "household"}
    assert "A filter could not be read" in response.content.decode()


# Sorting and pages ---------------------------------------------------------------------


def test_sorting_by_name_both_ways(as_officer, operation, almaty):
    b = make_citizen(operation, almaty, surname="Bondarenko")
    a = make_citizen(operation, almaty, surname="Antonenko")
    c = make_citizen(operation, almaty, surname="Cherniak")

    assert listed(as_officer, operation) == [a, b, c]
    assert listed(as_officer, operation, sort="-name") == [c, b, a]


def test_sorting_by_registration_contact_status_and_city(
    as_officer, operation, almaty, nur_sultan, bob
):
    first = make_citizen(operation, nur_sultan, surname="Aa")
    second = make_citizen(operation, almaty, surname="Bb")
    third = make_citizen(operation, almaty, surname="Cc")
    for person, hours in ((first, 3), (second, 2), (third, 1)):
        Citizen.objects.filter(pk=person.pk).update(registered_at=now() - timedelta(hours=hours))
    contact_log_add(
        citizen=first,
        channel=ContactLogEntry.Channel.SMS,
        direction=ContactLogEntry.Direction.INBOUND,
        outcome=ContactLogEntry.Outcome.REACHED,
        at=now() - timedelta(minutes=5),
        by=bob,
    )
    contact_log_add(
        citizen=second,
        channel=ContactLogEntry.Channel.SMS,
        direction=ContactLogEntry.Direction.INBOUND,
        outcome=ContactLogEntry.Outcome.REACHED,
        at=now() - timedelta(minutes=50),
        by=bob,
    )
    citizen_set_status(citizen=second, status=Citizen.Status.UNREACHABLE, by=bob)

    assert listed(as_officer, operation, sort="-registered_at") == [third, second, first]
    assert listed(as_officer, operation, sort="registered_at") == [first, second, third]
    # Never heard from comes first: they are the ones to call.
    assert listed(as_officer, operation, sort="last_contacted_at") == [third, second, first]
    assert listed(as_officer, operation, sort="-last_contacted_at") == [first, second, third]
    assert listed(as_officer, operation, sort="status") == [second, first, third]
    assert listed(as_officer, operation, sort="city") == [second, third, first]


@pytest.mark.parametrize("sort", [key for key, _label in SORT_CHOICES])
def test_every_sort_offered_works(as_officer, operation, almaty, sort):
    people = {make_citizen(operation, almaty), make_citizen(operation, almaty)}

    assert set(listed(as_officer, operation, sort=sort)) == people


def test_column_headings_link_to_the_other_direction_keeping_the_filters(
    as_officer, operation, almaty
):
    make_citizen(operation, almaty)

    response = as_officer.get(
        reverse("people:list", args=[operation.slug]), {"status": "waiting", "sort": "name"}
    )

    content = response.content.decode()
    assert 'aria-sort="ascending"' in content
    assert "?status=waiting&amp;sort=-name" in content


def test_pages_of_fifty_keep_the_filters(as_officer, operation, almaty, nur_sultan):
    make_citizens_in_bulk(operation, almaty, 120)
    make_citizens_in_bulk(operation, nur_sultan, 5)

    first = as_officer.get(reverse("people:list", args=[operation.slug]), {"city": almaty.pk})
    last = as_officer.get(
        reverse("people:list", args=[operation.slug]), {"city": almaty.pk, "page": 3}
    )

    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 120
    assert f"?city={almaty.pk}&amp;page=2" in first.content.decode()
    assert len(last.context["page"].object_list) == 20
    shown = [*first.context["page"].object_list, *last.context["page"].object_list]
    assert all(person.current_city_id == almaty.pk for person in shown)


def test_a_page_number_out_of_range_shows_the_last_page(as_officer, operation, almaty):
    make_citizens_in_bulk(operation, almaty, 60)

    response = as_officer.get(reverse("people:list", args=[operation.slug]), {"page": 99})

    assert response.context["page"].number == 2


def _person(city, surname: str, given_names: str, **fields) -> dict:
    return {
        "surname": surname,
        "given_names": given_names,
        "date_of_birth": date(1980, 5, 5),
        "sex": Citizen.Sex.FEMALE,
        "nationality": "UA",
        "document_type": Citizen.DocumentType.PASSPORT,
        "document_number": f"{surname[:3]}{given_names[:3]}1".upper(),
        "current_city": city,
        **fields,
    }

"""/staff/: straight to the dashboard of one's only operation, else a choice of operations."""

from datetime import date

import pytest
from django.urls import reverse

from evac.operations.models import Operation, Role
from tests.factories import make_citizen, make_flight, make_member, make_operation
from tests.pages import links_to

pytestmark = pytest.mark.django_db

HOME = "/staff/"


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    page = client.get(HOME)
    assert page.status_code == 302
    assert page["Location"] == f"{reverse('login')}?next={HOME}"


def test_a_member_of_one_active_operation_goes_straight_to_its_dashboard(client, carol, operation):
    client.force_login(carol)
    page = client.get(HOME)
    assert page.status_code == 302
    assert page["Location"] == reverse("operations:dashboard", args=[operation.slug])


def test_a_closed_operation_does_not_stop_the_redirect_to_the_active_one(client, carol, operation):
    closed = make_operation("Lebanon, 2006", country="LB", status=Operation.Status.CLOSED)
    make_member("carol", closed, Role.VIEWER)
    client.force_login(carol)
    assert client.get(HOME)["Location"] == reverse("operations:dashboard", args=[operation.slug])


def test_a_member_of_several_operations_chooses_one_and_sees_a_few_numbers_for_each(
    client, operation, other_operation, almaty, nqz, kbp
):
    coordinator = make_member("erin", operation, Role.COORDINATOR)
    make_member("erin", other_operation, Role.VIEWER)
    for _ in range(3):
        make_citizen(operation, almaty)
    make_citizen(other_operation, almaty)
    make_flight(operation, nqz, kbp)
    client.force_login(coordinator)

    page = client.get(HOME)

    assert page.status_code == 200
    ours = reverse("operations:dashboard", args=[operation.slug])
    theirs = reverse("operations:dashboard", args=[other_operation.slug])
    assert links_to(page, ours) == [operation.name]
    assert links_to(page, theirs) == [other_operation.name]
    overviews = {o.operation: o for o in page.context["overviews"]}
    assert (overviews[operation].registered, overviews[operation].waiting) == (3, 3)
    assert overviews[operation].flights_ahead == 1
    assert (overviews[other_operation].registered, overviews[other_operation].flights_ahead) == (
        1,
        0,
    )


def test_a_user_of_no_operation_is_told_to_ask_a_coordinator(client, django_user_model):
    newcomer = django_user_model.objects.create_user("frank", password="x" * 12)
    client.force_login(newcomer)
    page = client.get(HOME)
    assert page.status_code == 200
    assert "Ask a coordinator of your operation to add you" in page.content.decode()


def test_a_member_of_only_closed_operations_can_still_open_them(client, django_user_model):
    closed = make_operation(
        "Lebanon, 2006",
        country="LB",
        starts_on=date(2006, 7, 15),
        ends_on=date(2006, 8, 20),
        status=Operation.Status.CLOSED,
    )
    viewer = make_member("gina", closed, Role.VIEWER)
    client.force_login(viewer)
    page = client.get(HOME)
    html = page.content.decode()
    assert "None of your operations is active at the moment." in html
    assert links_to(page, reverse("operations:dashboard", args=[closed.slug])) == [closed.name]
    assert "ended 20 August 2006" in html

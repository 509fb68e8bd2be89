"""Who may open an operation's dashboard."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _url(operation) -> str:
    return reverse("operations:dashboard", args=[operation.slug])


@pytest.mark.parametrize("member", ["alice", "bob", "carol"])
def test_every_member_of_the_operation_can_see_its_dashboard(client, operation, member, request):
    client.force_login(request.getfixturevalue(member))
    page = client.get(_url(operation))
    assert page.status_code == 200
    assert page.context["operation"] == operation


def test_the_dashboard_is_marked_as_the_current_page_in_the_navigation(client, carol, operation):
    client.force_login(carol)
    html = client.get(_url(operation)).content.decode()
    assert f'<a href="{_url(operation)}" aria-current="page">Dashboard</a>' in html


def test_a_member_of_another_operation_gets_not_found(client, dave, operation):
    client.force_login(dave)
    assert client.get(_url(operation)).status_code == 404


def test_an_unknown_operation_is_not_found(client, carol):
    client.force_login(carol)
    assert client.get(reverse("operations:dashboard", args=["no-such-crisis"])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, operation):
    page = client.get(_url(operation))
    assert page.status_code == 302
    assert page["Location"] == f"{reverse('login')}?next={_url(operation)}"

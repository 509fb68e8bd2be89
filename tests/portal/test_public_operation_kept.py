"""Each process keeps the operation the public pages read for a few seconds, and no longer."""

import pytest
from django.urls import reverse

from evac.cockpit.services import operation_close
from evac.operations.models import Operation
from evac.portal import selectors

pytestmark = pytest.mark.django_db


def test_a_second_public_page_does_not_read_the_operation_again(
    client, operation, django_assert_num_queries
):
    client.get(reverse("portal:home", args=[operation.slug]))

    with django_assert_num_queries(0):
        kept = selectors.public_operation(operation.slug)

    assert kept == operation


def test_each_caller_gets_its_own_copy(operation):
    first = selectors.public_operation(operation.slug)
    first.name = "changed by one request"

    assert selectors.public_operation(operation.slug).name == operation.name


def test_closing_the_operation_closes_its_portal_at_once(client, operation, alice):
    url = reverse("portal:home", args=[operation.slug])
    assert client.get(url).status_code == 200

    operation_close(operation=operation, by=alice)

    assert client.get(url).status_code == 404


def test_a_change_saved_elsewhere_shows_after_the_kept_seconds(operation, monkeypatch):
    seconds = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: seconds[0])
    assert selectors.public_operation(operation.slug) is not None
    # Another process closed it: no signal reaches this one.
    Operation.objects.filter(pk=operation.pk).update(status=Operation.Status.CLOSED)

    seconds[0] += selectors.PUBLIC_OPERATION_SECONDS - 0.1
    assert selectors.public_operation(operation.slug) is not None
    seconds[0] += 0.2
    assert selectors.public_operation(operation.slug) is None


def test_made_up_slugs_are_not_kept(db):
    for n in range(50):
        assert selectors.public_operation(f"no-such-operation-{n}") is None

    assert not any(slug.startswith("no-such") for slug in selectors._public_operations)

"""Each process keeps the operation the public pages read for a few seconds, and no longer."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evac.flights.closing import operation_close
from evac.operations.models import Operation
from evac.people.models import Citizen
from evac.portal import selectors
from evac.portal.codes import one_time_code_issue
from evac.portal.services import portal_decide, portal_register
from tests.portal.conftest import last_code, send_all_pending

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


def _closed_elsewhere(operation) -> Operation:
    """What this process still holds: the operation as read before another process closed
    it (an UPDATE sends no signal here, as a save in another process would not)."""
    kept = selectors.public_operation(operation.slug)
    Operation.objects.filter(pk=operation.pk).update(status=Operation.Status.CLOSED)
    assert kept.status == Operation.Status.ACTIVE
    return kept


def test_a_registration_in_the_kept_seconds_after_closing_is_refused(operation, almaty):
    kept = _closed_elsewhere(operation)
    person = {
        "surname": "Koval",
        "given_names": "Olena",
        "date_of_birth": date(1985, 3, 14),
        "sex": Citizen.Sex.FEMALE,
        "nationality": "UA",
        "phone": "+77011234567",
    }

    with pytest.raises(PermissionDenied):
        portal_register(operation=kept, people=[person], place={"current_city": almaty})

    assert not Citizen.objects.exists()


def test_a_citizens_change_in_the_kept_seconds_after_closing_is_refused(olena, sms_file):
    one_time_code_issue(citizen=olena, channel="sms")
    send_all_pending()
    code = last_code(sms_file)
    kept = _closed_elsewhere(olena.operation)
    # As the status page reads her: through the kept operation, which she then carries.
    olena = kept.citizens.get(pk=olena.pk)

    with pytest.raises(PermissionDenied):
        portal_decide(citizen=olena, status=Citizen.Status.DECIDED_TO_STAY, code=code)

    olena.refresh_from_db()
    assert olena.status == Citizen.Status.WAITING

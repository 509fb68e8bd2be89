"""Repeated wrong passwords lock the account and the address (django-axes); a coordinator
of the operation can unlock a member's account at once."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from evac.accounts.services import staff_unlock
from evac.operations.models import Headquarters, Role
from evac.operations.services import member_add
from tests import factories
from tests.logins import StaffClient

pytestmark = pytest.mark.django_db

PASSWORD = "long-winter-road"
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def passwords(alice, bob):
    for user in (alice, bob):
        user.set_password(PASSWORD)
        user.save()


def _try(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client, username: str, times: int, address: str = "10.0.0.1") -> list[int]:
    return [_try(client, username, "wrong", address).status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_account(client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert _fail(client, "bob", 4) == [200] * 4
    assert _try(client, "bob", PASSWORD).status_code == 302  # four are not yet too many,
    client.post("/accounts/logout/")
    # …and a successful login starts the count again: the fifth failure in a row locks.
    assert _fail(client, "bob", 5) == [200] * 4 + [429]

    response = _try(client, "bob", PASSWORD)

    assert response.status_code == 429
    assert "Login locked" in response.content.decode()
    # The right password from anywhere else doesn't help either: the account is locked.
    assert _try(StaffClient(), "bob", PASSWORD, "10.9.9.9").status_code == 429


def test_failures_from_one_address_lock_the_address(client):
    statuses = [
        _fail(client, name, 1, "10.0.0.7")[0]
        for name in ("carla", "chris", "cora", "cyril", "cole")
    ]
    assert statuses == [200] * 4 + [429]

    assert _try(client, "bob", PASSWORD, "10.0.0.7").status_code == 429
    assert _try(StaffClient(), "bob", PASSWORD, "10.0.0.8").status_code == 302


def test_the_lock_ends_by_itself_after_the_lockout_time(client, settings):
    _fail(client, "bob", 5)
    assert _try(client, "bob", PASSWORD).status_code == 429

    # Let the lockout time pass (axes reads the database's attempt times).
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )

    assert _try(client, "bob", PASSWORD).status_code == 302


def test_a_coordinator_sees_the_lock_and_lifts_it(client, operation, alice, caplog):
    _fail(StaffClient(), "bob", 5, "10.0.0.2")
    client.force_login(alice)
    staff_page = reverse("staff:list", kwargs={"op": operation.slug})

    page = client.get(staff_page)
    bob_row = next(m for m in page.context["staff"] if m.membership.user.username == "bob")
    assert bob_row.locked
    response = client.post(
        reverse(
            "staff:unlock", kwargs={"op": operation.slug, "membership_id": bob_row.membership.pk}
        )
    )

    assert response.status_code == 302
    assert f"alice unlocked the login of bob (operation {operation.slug})" in caplog.messages
    assert _try(StaffClient(), "bob", PASSWORD, "10.0.0.3").status_code == 302
    assert not any(m.locked for m in client.get(staff_page).context["staff"])


def test_only_a_coordinator_of_the_operation_may_unlock(client, operation, bob, carol, dave):
    _fail(StaffClient(), "bob", 5)
    membership = bob.memberships.get()
    unlock = reverse("staff:unlock", kwargs={"op": operation.slug, "membership_id": membership.pk})
    officer = factories.make_member("olga", operation, Role.OFFICER)

    for user, status in ((officer, 403), (carol, 403), (dave, 404)):
        client.force_login(user)
        assert client.post(unlock).status_code == status
        assert (
            client.get(reverse("staff:list", kwargs={"op": operation.slug})).status_code == status
        )
    assert _try(StaffClient(), "bob", PASSWORD).status_code == 429


def test_a_coordinator_cannot_unlock_someone_of_another_operation(client, operation, alice, dave):
    client.force_login(alice)
    theirs = dave.memberships.get()
    url = reverse("staff:unlock", kwargs={"op": operation.slug, "membership_id": theirs.pk})
    assert client.post(url).status_code == 404


def test_the_password_rules_are_django_s_validators(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password1", "new_password2": "password1"},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "too common" in errors
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_coordinator_cannot_lift_the_lock_of_headquarters_or_an_administrator(
    client, operation, alice
):
    # Adding such an account to one's own operation must not buy a password guesser more
    # tries at an account that opens every operation.
    chief = User.objects.create_user("chief", password=PASSWORD)
    Headquarters.objects.create(user=chief)
    User.objects.create_superuser("root", password=PASSWORD)
    for username in ("chief", "root"):
        _fail(StaffClient(), username, 5, "10.0.0.4")
        membership, _created = member_add(
            operation=operation, username=username, role=Role.VIEWER, by=alice
        )
        with pytest.raises(PermissionDenied):
            staff_unlock(by=alice, membership=membership)
        assert _try(StaffClient(), username, PASSWORD, "10.0.0.5").status_code == 429

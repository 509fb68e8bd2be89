"""`manage.py demo_code <user>`: the demo logins' second step without a phone, refused for
real accounts and on a production server."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from evac.demo.logins import demo_staff_load
from evac.operations.models import Role
from tests.factories import make_member, make_operation
from tests.logins import StaffClient, authenticator_for

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def operation():
    operation = make_operation()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        demo_staff_load(operation, "demo-password")
    return operation


def _code(username: str) -> str:
    out = StringIO()
    call_command("demo_code", username, stdout=out)
    return out.getvalue().strip()


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_the_printed_code_passes_the_second_step_of_a_demo_coordinator(operation):
    client = StaffClient()
    response = client.post(
        "/accounts/login/", {"username": "coordinator", "password": "demo-password"}
    )
    assert response.status_code == 302
    code = _code("coordinator")
    assert len(code) == 6 and code.isdigit()
    response = client.post("/accounts/two-factor/verify/", {"code": code})
    assert response.status_code == 302
    assert client.get(f"/ops/{operation.slug}/").status_code == 200


def test_the_coordinator_and_the_officer_have_an_authenticator_and_the_viewer_none(operation):
    owners = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True))
    assert owners == {"coordinator", "officer"}


@override_settings(EVAC_HTTPS=True)
def test_it_is_refused_in_production_settings_even_for_a_demo_account(operation):
    with pytest.raises(CommandError, match="production"):
        _code("coordinator")


@override_settings(DEBUG=True)
def test_it_is_refused_for_an_account_seed_demo_did_not_make(operation):
    alice = make_member("alice", operation, Role.COORDINATOR)
    authenticator_for(alice)
    with pytest.raises(CommandError, match="not a demo account"):
        _code("alice")


def test_an_unknown_account_is_refused(operation):
    with pytest.raises(CommandError, match="No account"):
        _code("mallory")

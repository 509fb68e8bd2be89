"""Logging test clients in as staff do: password, then the second step."""

from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_for(user: AbstractBaseUser) -> TOTPDevice:
    """The user's confirmed authenticator app, set up if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """What the authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client: Client, user: AbstractBaseUser) -> None:
    """Mark the client's session as past the second step, as the verify page does."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()


class StaffClient(Client):
    """`force_login` here is a whole staff login, second step included, so page tests test
    pages; `force_login_password_only` stops before the second step, for the tests of it."""

    def force_login(self, user, backend=None) -> None:
        super().force_login(user, backend)
        pass_second_factor(self, user)

    def force_login_password_only(self, user, backend=None) -> None:
        super().force_login(user, backend)


def log_in_through_the_pages(client: Client, user: AbstractBaseUser, password: str):
    """Log in as a person does: the login form, then the second step with a backup code
    (an authenticator's code works once per 30 seconds; a test may log in twice in that)."""
    from evac.accounts.services import backup_codes_renew

    authenticator_for(user)
    response = client.post(
        "/accounts/login/", {"username": user.get_username(), "password": password}
    )
    assert response.status_code == 302, response
    code = backup_codes_renew(user)[0]
    response = client.post("/accounts/two-factor/verify/", {"code": code})
    assert response.status_code == 302, response
    return response

"""The demo's logins, and a way past their second step without a phone.

Coordinators and officers must pass a second step, in the demo as in production. So that
every role can be tried in the first minute, seed_demo sets up an authenticator for the
demo's coordinator and officer, and `manage.py demo_code <username>` prints its current
code. It answers only for an account that seed_demo made, and never with EVAC_HTTPS on
(production settings): a real member's authenticator is never printed, on any server.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from evac.demo.models import DemoAccount
from evac.operations.models import Membership, Operation, Role

STAFF = (
    ("coordinator", Role.COORDINATOR),
    ("officer", Role.OFFICER),
    ("viewer", Role.VIEWER),
)
# The roles that must pass the second step get an authenticator; the viewer may skip it.
WITH_AUTHENTICATOR = (Role.COORDINATOR, Role.OFFICER)
DEVICE_NAME = "demo authenticator (seed_demo)"


class DemoCodeRefused(Exception):
    pass


def demo_staff_load(operation: Operation, password: str) -> list[Membership]:
    user_model = get_user_model()
    logins = []
    for username, role in STAFF:
        user = user_model.objects.filter(username=username).first() or user_model(username=username)
        user.first_name, user.last_name = "Demo", username.capitalize()
        user.email = f"{username}@example.org"
        user.is_active = True
        # Django's admin sees every operation, so it is for superusers only; demo staff work
        # through the operation-scoped pages, like real staff.
        user.is_staff = False
        user.is_superuser = False
        user.set_password(password)
        user.save()
        DemoAccount.objects.get_or_create(user=user)
        if role in WITH_AUTHENTICATOR:
            TOTPDevice.objects.get_or_create(
                user=user, name=DEVICE_NAME, defaults={"confirmed": True}
            )
        membership, _ = Membership.objects.update_or_create(
            user=user, operation=operation, defaults={"role": role}
        )
        logins.append(membership)
    return logins


def demo_code(username: str) -> str:
    """The six digits the account's authenticator shows now, where that is allowed."""
    if settings.EVAC_HTTPS:
        raise DemoCodeRefused("Refused: this is a production server (EVAC_HTTPS is on).")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DemoCodeRefused(f"No account named {username!r}.")
    if not DemoAccount.objects.filter(user=user).exists():
        raise DemoCodeRefused(f"Refused: {username} is not a demo account made by seed_demo.")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        raise DemoCodeRefused(f"{username} has no authenticator set up.")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"

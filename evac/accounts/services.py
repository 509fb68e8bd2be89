"""Setting up and using the second factor; a coordinator's help for locked-out staff."""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from axes.utils import reset as axes_reset
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from evac.accounts.models import BackupCode, BackupCodeDevice, hash_backup_code
from evac.accounts.selectors import (
    authenticator_of,
    pending_authenticator_of,
    second_steps_resettable_by,
)
from evac.core.actor import EVAC, user_of
from evac.operations.access import Actor, Permission, is_headquarters, require_permission
from evac.operations.models import Membership

# Security events go to the log (who did what to whose login), beside django-axes' records of
# every login: evidence for the people who answer for the operation, kept outside its data.
logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
# Ten letters and digits from 32 that can't be mistaken for each other (no 0/O, 1/I): 50 bits.
BACKUP_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
BACKUP_CODE_LENGTH = 10
# What an authenticator app shows (django-otp's default); a backup code is longer.
AUTHENTICATOR_DIGITS = 6


def authenticator_start(user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator being set up. The same secret until it is confirmed, so reloading
    the page doesn't invalidate what the phone has already scanned."""
    return pending_authenticator_of(user) or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )


@transaction.atomic
def authenticator_confirm(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the new authenticator with a code it shows; it replaces any earlier one and
    comes with a fresh set of backup codes, returned to be shown once. None: wrong code."""
    if not device.verify_token(code.strip()):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _log_in_second_factor(request, device)
    logger.info("second step set up by %s", device.user.get_username())
    return backup_codes_renew(device.user)


@transaction.atomic
def backup_codes_renew(user: AbstractBaseUser) -> list[str]:
    """New backup codes for `user`; the old ones stop working. Only hashes are kept."""
    device, _created = BackupCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "Backup codes", "confirmed": True}
    )
    device.codes.all().delete()
    codes = [
        "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
        for _ in range(BACKUP_CODE_COUNT)
    ]
    BackupCode.objects.bulk_create(
        BackupCode(device=device, code_hash=hash_backup_code(device.pk, code)) for code in codes
    )
    logger.info("new backup codes for %s", user.get_username())
    half = BACKUP_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


@dataclass(frozen=True)
class SecondFactorResult:
    device: Device | None
    # Set when too many wrong codes make the device wait before it checks another.
    retry_after: datetime | None = None


def second_factor_verify(request: HttpRequest, typed: str) -> SecondFactorResult:
    """Check a code from the authenticator (six digits) or a backup code, and mark the
    session as having passed the second factor if it is right."""
    code = "".join(typed.split())
    user = request.user
    if code.isdigit() and len(code) == AUTHENTICATOR_DIGITS:
        device = authenticator_of(user)
    else:
        device = BackupCodeDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return SecondFactorResult(None)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return SecondFactorResult(None, (details or {}).get("locked_until"))
    if not device.verify_token(code):
        return SecondFactorResult(None)
    _log_in_second_factor(request, device)
    return SecondFactorResult(device)


def _log_in_second_factor(request: HttpRequest, device: Device) -> None:
    # A new session key at the step up, as at login: a key seen before it is worth nothing.
    request.session.cycle_key()
    otp_login(request, device)


def staff_unlock(*, by: Actor, membership: Membership) -> int:
    """Lift the lockout of a member's username (its failed logins are forgotten).

    Not an administrator's or a headquarters member's, whose accounts open every operation:
    only an administrator lifts theirs, so adding one to an operation buys no more guesses.
    """
    require_permission(by, membership.operation, Permission.MANAGE_STAFF)
    if is_headquarters(membership.user) and not (by is EVAC or getattr(by, "is_superuser", False)):
        logger.warning(
            "%s was refused unlocking the login of %s (operation %s)",
            _name(by),
            membership.user.get_username(),
            membership.operation.slug,
        )
        raise PermissionDenied(_("You don't have permission to do this in this operation."))
    logger.info(
        "%s unlocked the login of %s (operation %s)",
        _name(by),
        membership.user.get_username(),
        membership.operation.slug,
    )
    return axes_reset(username=membership.user.username)


@transaction.atomic
def staff_reset_two_factor(*, by: Actor, membership: Membership) -> None:
    """Forget a member's authenticator and backup codes (a lost phone): at their next page
    they set up a new one, after their password. Not for administrators' accounts.

    The second step guards the member's account in every operation they work in, so only
    an administrator, or a coordinator of each operation where the member holds a role
    above viewer (`second_steps_resettable_by`), may reset it. Every reset, and every refusal, is
    written to the application log.
    """
    require_permission(by, membership.operation, Permission.MANAGE_STAFF)
    refusal = ""
    if membership.user.is_superuser:
        refusal = _("An administrator's second factor is reset by an administrator.")
    elif membership.user.pk not in second_steps_resettable_by(by, [membership.user]):
        # The other operations are not named: the member's work there is not ours to tell.
        refusal = _(
            "%(user)s also works in an operation you don't coordinate, and their second step "
            "protects that work too: only a coordinator of every operation they work in, or "
            "an administrator, may reset it."
        ) % {"user": membership.user}
    if refusal:
        logger.warning(
            "%s was refused resetting the second step of %s (operation %s)",
            _name(by),
            membership.user.get_username(),
            membership.operation.slug,
        )
        raise PermissionDenied(refusal)
    TOTPDevice.objects.filter(user=membership.user).delete()
    BackupCodeDevice.objects.filter(user=membership.user).delete()
    logger.info(
        "%s reset the second step of %s (operation %s)",
        _name(by),
        membership.user.get_username(),
        membership.operation.slug,
    )


def _name(actor: Actor) -> str:
    """The log's name for who acted: a staff member's username, or "Evac" for Evac itself."""
    user = user_of(actor)
    return user.get_username() if user is not None else str(actor)

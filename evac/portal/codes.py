"""One-time codes: made, sent, checked once. The portal keeps only a keyed hash of each.

A code is the person's proof for one change on the portal. It is checked in two steps, so
that a wrong guess always counts and a right code is spent only with the change it allows:
one_time_code_check counts the try (its own write, committed whatever follows) and
one_time_code_spend marks the code used inside the change's transaction and returns the
CitizenActor the services accept (evac/portal/services.py does both).
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.crypto import salted_hmac

from evac.core.clock import now
from evac.notifications.services import one_time_code_send
from evac.operations.access import CitizenActor
from evac.people.models import Citizen
from evac.portal.models import OneTimeCode

CODE_DIGITS = 6


def _hash(citizen_id: int, code: str) -> str:
    # Keyed by SECRET_KEY: a copy of the table alone can't be tried against all 10^6 codes.
    return salted_hmac("evac.portal.one_time_code", f"{citizen_id}:{code}").hexdigest()


def channels_on_file(citizen: Citizen) -> list[str]:
    """Where a code can go: the phone and the e-mail the embassy already has."""
    found = []
    if citizen.phone:
        found.append(OneTimeCode.Channel.SMS)
    if citizen.email:
        found.append(OneTimeCode.Channel.EMAIL)
    return found


@transaction.atomic
def one_time_code_issue(*, citizen: Citizen, channel: str) -> OneTimeCode | None:
    """A new code, sent at once (queued on commit); any earlier code stops working."""
    if channel not in channels_on_file(citizen):
        return None
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    moment = now()
    citizen.one_time_codes.filter(used_at__isnull=True).update(used_at=moment)
    issued = OneTimeCode.objects.create(
        citizen=citizen,
        code_hash=_hash(citizen.pk, code),
        channel=channel,
        created_at=moment,
        expires_at=moment + timedelta(minutes=settings.EVAC_PORTAL_CODE_MINUTES),
    )
    one_time_code_send(
        citizen=citizen,
        code=code,
        channel=channel,
        code_id=issued.pk,
        minutes=settings.EVAC_PORTAL_CODE_MINUTES,
    )
    return issued


class CodeRefused(Exception):
    """The code is wrong, expired, already used or out of tries; nothing was changed."""


@dataclass(frozen=True)
class CheckedCode:
    """A right code, counted and not yet spent."""

    code_id: int
    citizen: Citizen


def one_time_code_check(*, citizen: Citizen, code: str) -> CheckedCode:
    """Is `code` the person's latest code, still fresh, unused and within its tries?

    Every try counts, right or wrong, with a conditional UPDATE, so parallel guesses can't
    get past the limit. Call it outside the change's transaction: a refusal must not roll
    the count back.
    """
    latest = citizen.one_time_codes.filter(used_at__isnull=True).order_by("-created_at").first()
    if latest is None or latest.expires_at <= now():
        raise CodeRefused
    counted = OneTimeCode.objects.filter(
        pk=latest.pk,
        used_at__isnull=True,
        attempts=latest.attempts,
        attempts__lt=settings.EVAC_PORTAL_CODE_ATTEMPTS,
    ).update(attempts=F("attempts") + 1)
    typed = "".join(code.split())
    if not counted or not hmac.compare_digest(latest.code_hash, _hash(citizen.pk, typed)):
        raise CodeRefused
    return CheckedCode(latest.pk, citizen)


def one_time_code_spend(checked: CheckedCode) -> CitizenActor:
    """Use the code up, in the caller's transaction: the person may now act on their record.

    Only one of two parallel right answers spends it. If the change then fails, the
    transaction rolls the spending back and the person can try the same code again.
    """
    spent = OneTimeCode.objects.filter(pk=checked.code_id, used_at__isnull=True).update(
        used_at=now()
    )
    if not spent:
        raise CodeRefused
    citizen = checked.citizen
    return CitizenActor(operation_id=citizen.operation_id, citizen_id=citizen.pk)


def one_time_code_use(*, citizen: Citizen, code: str) -> CitizenActor | None:
    """Check and spend at once: the person's proof, or None."""
    try:
        return one_time_code_spend(one_time_code_check(citizen=citizen, code=code))
    except CodeRefused:
        return None

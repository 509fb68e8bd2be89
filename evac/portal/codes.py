"""One-time codes: made, sent, checked once. The portal keeps only a keyed hash of each."""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.crypto import salted_hmac

from evac.core.clock import now
from evac.notifications.services import one_time_code_send
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


def one_time_code_use(*, citizen: Citizen, code: str) -> OneTimeCode | None:
    """The person's latest code if `code` is it, still fresh and unused; it is used up now.

    Every try counts, right or wrong, with a conditional UPDATE, so parallel guesses can't
    get past the limit; and only one of two parallel right answers marks it used.
    """
    latest = citizen.one_time_codes.filter(used_at__isnull=True).order_by("-created_at").first()
    if latest is None or latest.expires_at <= now():
        return None
    counted = OneTimeCode.objects.filter(
        pk=latest.pk,
        used_at__isnull=True,
        attempts=latest.attempts,
        attempts__lt=settings.EVAC_PORTAL_CODE_ATTEMPTS,
    ).update(attempts=F("attempts") + 1)
    typed = "".join(code.split())
    if not counted or not hmac.compare_digest(latest.code_hash, _hash(citizen.pk, typed)):
        return None
    if not OneTimeCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(used_at=now()):
        return None
    return latest

"""Who must use a second factor, what they have set up, and whose login is locked."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Sum
from django_otp.plugins.otp_totp.models import TOTPDevice

from evac.accounts.models import BackupCodeDevice, Invitation
from evac.core import clock
from evac.core.actor import EVAC, Actor
from evac.operations.access import is_headquarters
from evac.operations.models import Headquarters, Membership, Operation, Role

# The roles that change people's records or see medical details log in with two factors.
TWO_FACTOR_ROLES = frozenset({Role.COORDINATOR, Role.OFFICER})


def two_factor_required(user: AbstractBaseUser) -> bool:
    if user.is_superuser or is_headquarters(user):
        return True
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if settings.EVAC_TWO_FACTOR_FOR_VIEWERS and roles:
        return True
    return bool(roles & TWO_FACTOR_ROLES)


def authenticator_of(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def pending_authenticator_of(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def backup_codes_left(user: AbstractBaseUser) -> int:
    device = BackupCodeDevice.objects.filter(user=user, confirmed=True).first()
    return device.codes.count() if device else 0


@dataclass(frozen=True)
class StaffMember:
    membership: Membership
    has_two_factor: bool
    locked: bool
    # Whether the reader may reset this member's second step (second_steps_resettable_by).
    may_reset_second_step: bool = False
    # An account without a password yet: until when its invitation link works (None: no
    # link works, send a new one).
    has_password: bool = True
    invited_until: datetime | None = None


def second_steps_resettable_by(by: Actor, users: list[AbstractBaseUser]) -> set[int]:
    """The ids of `users` whose second step `by` may reset.

    The second step guards a member's account in every operation they work in, so `by`
    must be an administrator (or Evac itself), or a coordinator of every operation where
    the member holds a role above viewer (a viewer's second step is optional). An
    administrator's own, and a headquarters member's (which guards every operation, and which
    a coordinator could otherwise reach by adding them to their own operation), is reset by an
    administrator only. Three queries, however many users.
    """
    candidates = {user.pk for user in users if not user.is_superuser}
    if by is EVAC or getattr(by, "is_superuser", False):
        return candidates
    candidates -= set(
        Headquarters.objects.filter(user__in=candidates).values_list("user_id", flat=True)
    )
    coordinated = set(
        Membership.objects.filter(user=by, role=Role.COORDINATOR).values_list(
            "operation_id", flat=True
        )
    )
    guarded_elsewhere = {
        user_id
        for user_id, operation_id in Membership.objects.filter(user__in=candidates)
        .exclude(role=Role.VIEWER)
        .values_list("user_id", "operation_id")
        if operation_id not in coordinated
    }
    return candidates - guarded_elsewhere


def login_lockouts(usernames: list[str]) -> set[str]:
    """The usernames whose failed logins, within the lockout time, reach the limit."""
    since: datetime = clock.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def staff_of(operation: Operation, *, reader: Actor) -> list[StaffMember]:
    memberships = list(
        Membership.objects.filter(operation=operation)
        .select_related("user")
        .order_by("role", "user__username")
    )
    users = [m.user for m in memberships]
    with_two_factor = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user", flat=True)
    )
    locked = login_lockouts([u.username for u in users])
    resettable = second_steps_resettable_by(reader, users)
    invited_until = dict(
        Invitation.objects.filter(user__in=users, used_at__isnull=True, revoked_at__isnull=True)
        .filter(expires_at__gt=clock.now())
        .order_by("expires_at")
        .values_list("user_id", "expires_at")
    )
    return [
        StaffMember(
            m,
            m.user_id in with_two_factor,
            m.user.username in locked,
            m.user_id in resettable,
            has_password=m.user.has_usable_password(),
            invited_until=invited_until.get(m.user_id),
        )
        for m in memberships
    ]

"""Invitations: how a new staff member comes to have a password that nobody else typed.

A coordinator adds a person (operations.services.member_add); the person gets a link by
e-mail (notifications/invitations.py sends it through the outbox) that works once, until it
expires, to set their own password. Only a keyed hash of the link's token is stored, so no
page, API, admin or log can show it; and the token rides in the link's fragment (after
"#"), which browsers never send, so no access log or proxy sees it either: the page's
script puts it in the form, whose POST body carries it here. Sending a new link takes the
operation's old one back.

Headquarters invite headquarters the same way: an invitation with no operation, which
grants the headquarters role when its link is used (and the second step is then set up
before any staff page, as for every role that needs one). Only headquarters send one, and
a link stops working if its sender has left headquarters before it is used.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from evac.accounts.models import Invitation, hash_invitation_token
from evac.core.actor import user_of
from evac.core.clock import now
from evac.core.errors import Conflict
from evac.core.history import record_by
from evac.operations.access import (
    Actor,
    Permission,
    is_headquarters,
    require_headquarters,
    require_permission,
)
from evac.operations.models import Headquarters, Membership

logger = logging.getLogger(__name__)

# 24 random bytes: 192 bits, 32 characters in a URL (Notification.secret holds 32).
TOKEN_BYTES = 24
# What a token in a URL may be before anything is hashed: bounds the cost of a bad link.
TOKEN_MAX_LENGTH = 64


def _name(actor: Actor) -> str:
    user = user_of(actor)
    return user.get_username() if user is not None else str(actor)


def _open(queryset):
    """Invitations whose link still works: not used, revoked or expired, for an account that
    still has no password and is still a member of the operation that invited it (removing
    a member, say one whose address was mistyped, takes their link back)."""
    still_member = Exists(
        Membership.objects.filter(user=OuterRef("user"), operation=OuterRef("operation"))
    )
    return queryset.filter(
        Q(operation__isnull=True) | Q(still_member),
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now(),
        user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
    )


def invitation_pending(user: AbstractBaseUser) -> Invitation | None:
    """The person's invitation that still works, if any."""
    return _open(Invitation.objects.filter(user=user)).order_by("-created_at").first()


def _issue(user: AbstractBaseUser, operation, by: Actor) -> tuple[Invitation, str]:
    """A new invitation for `user` to `operation` (None: headquarters), and its token; the
    earlier open one to the same place stops working."""
    if user.has_usable_password():
        raise Conflict(_("%(user)s already has a password and logs in.") % {"user": user})
    if not user.email:
        raise ValidationError(
            {"email": _("%(user)s has no e-mail address to send the link to.") % {"user": user}}
        )
    moment = now()
    # This operation's earlier link only: another operation's invitation of the same person
    # is that operation's to send or take back.
    _open(Invitation.objects.filter(user=user, operation=operation)).update(revoked_at=moment)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation.objects.create(
        user=user,
        operation=operation,
        token_hash=hash_invitation_token(token),
        created_at=moment,
        expires_at=moment + timedelta(hours=settings.EVAC_INVITATION_HOURS),
        created_by=user_of(by),
    )
    logger.info(
        "%s sent %s an invitation (%s), until %s",
        _name(by),
        user.get_username(),
        f"operation {operation.slug}" if operation is not None else "headquarters",
        invitation.expires_at.isoformat(),
    )
    return invitation, token


def headquarters_invitations_open():
    """The invitations to headquarters whose links still work, newest first."""
    return (
        _open(Invitation.objects.filter(operation__isnull=True))
        .select_related("user", "created_by")
        .order_by("-created_at")
    )


@transaction.atomic
def headquarters_invitation_issue(*, user: AbstractBaseUser, by: Actor) -> tuple[Invitation, str]:
    """A new invitation to headquarters for an account with no password yet, and its token,
    to be sent and then forgotten. Headquarters only; not for someone already there."""
    require_headquarters(by)
    if Headquarters.objects.filter(user=user).exists():
        raise Conflict(_("%(user)s is already at headquarters.") % {"user": user})
    return _issue(user, None, by)


@transaction.atomic
def invitation_issue(*, membership: Membership, by: Actor) -> tuple[Invitation, str]:
    """A new invitation for the member, and its token, to be sent and then forgotten.

    Only for an account that has no password yet: a person who has one logs in. Their
    earlier link to this operation stops working, so only its newest e-mail opens it.
    """
    require_permission(by, membership.operation, Permission.MANAGE_MEMBERS)
    return _issue(membership.user, membership.operation, by)


@transaction.atomic
def invitation_revoke(*, membership: Membership, by: Actor) -> int:
    """Take back the member's open invitation to this operation: its link stops working.
    How many were open."""
    require_permission(by, membership.operation, Permission.MANAGE_MEMBERS)
    revoked = _open(
        Invitation.objects.filter(user=membership.user, operation=membership.operation)
    ).update(revoked_at=now())
    logger.info(
        "%s revoked the invitation of %s (operation %s)",
        _name(by),
        membership.user.get_username(),
        membership.operation.slug,
    )
    return revoked


def invitation_by_token(token: str) -> Invitation | None:
    """The open invitation whose link carries `token`, or None however it fails (unknown,
    used, revoked, expired): the public page says the same in every case."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        _open(Invitation.objects.filter(token_hash=hash_invitation_token(token)))
        .select_related("user", "operation")
        .first()
    )


# One answer for a link that is unknown, used, revoked or expired.
LINK_REFUSED = _lazy(
    "This invitation doesn't work: a link works once, for a few days. Ask a coordinator of "
    "your operation for a new one."
)


def invitation_accept(*, token: str, password: str) -> AbstractBaseUser:
    """Set the invited person's own password, once: the token is the proof. The link is
    spent by a conditional UPDATE, so two tabs sending it at once can't both use it.
    ValidationError when the link is no good or the password too weak."""
    invitation = invitation_by_token(token)
    if invitation is None:
        raise ValidationError({"token": LINK_REFUSED})
    user = invitation.user
    try:
        validate_password(password, user)
    except ValidationError as weak:
        raise ValidationError({"password": weak.messages}) from weak
    with transaction.atomic():
        spent = _open(Invitation.objects.filter(pk=invitation.pk)).update(used_at=now())
        if not spent:
            raise ValidationError({"token": LINK_REFUSED})
        user.set_password(password)
        user.save(update_fields=["password"])
        if invitation.operation_id is None:
            _join_headquarters(invitation)
    logger.info("%s set their password from an invitation", user.get_username())
    return user


def _join_headquarters(invitation: Invitation) -> None:
    """The role an invitation to headquarters grants, in Headquarters' history as granted
    by its sender; refused if the sender has left headquarters since."""
    sender = invitation.created_by
    if sender is not None and not is_headquarters(sender):
        raise ValidationError({"token": LINK_REFUSED})
    if not Headquarters.objects.filter(user=invitation.user).exists():
        record_by(Headquarters(user=invitation.user), sender).save()
    logger.info(
        "%s joined headquarters, invited by %s",
        invitation.user.get_username(),
        sender.get_username() if sender is not None else "Evac",
    )

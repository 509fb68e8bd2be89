"""A new staff member's invitation, by e-mail through the outbox.

The invitation itself (a hash of its token, its expiry, its single use) is
evac/accounts/invitations.py's; this module writes the e-mail that carries the link. The
outbox keeps the link with its token masked and the token in `secret` until the provider
has the message (delivery.py), as for the portal's one-time codes, so nobody on staff can
read it from the outbox, the API or the admin.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from evac.accounts.invitations import (
    headquarters_invitation_issue,
    invitation_issue,
    invitation_revoke,
)
from evac.accounts.models import Invitation
from evac.core.actor import user_of
from evac.core.clock import now
from evac.core.errors import Conflict
from evac.notifications.compose import message_fields
from evac.notifications.models import CODE_MASK, Notification
from evac.notifications.services import _send_soon, _written
from evac.operations.access import Actor, require_headquarters
from evac.operations.models import Membership, Operation
from evac.operations.services import member_add, staff_account

N = Notification


class NoPublicAddress(Conflict):
    """Evac can't tell which address of its own to put in a link."""


def invitation_link(site_url: str) -> str:
    """The set-password link with the token masked, in its fragment (never sent to a
    server, so never in an access log), at the site's public address (EVAC_PUBLIC_URL).

    Without it: the address the coordinator reached Evac at, but only if ALLOWED_HOSTS
    names its host as it is. A host let in through a wildcard ("*", ".example.org") may
    be a forged Host header, which must not choose where a new colleague's link (and the
    token in it) goes: then the first host ALLOWED_HOSTS names plainly is used, and with
    none, the invitation is refused, saying to set EVAC_PUBLIC_URL.
    """
    base = (settings.EVAC_PUBLIC_URL or _named_site(site_url)).rstrip("/")
    return f"{base}{reverse('invitation')}#{CODE_MASK}"


def _named_site(site_url: str) -> str:
    address = urlsplit(site_url)
    plain = [
        host.lower()
        for host in settings.ALLOWED_HOSTS
        if host and not host.startswith(".") and "*" not in host
    ]
    host, _port = split_domain_port(address.netloc)
    if host and host in plain:
        return f"{address.scheme}://{address.netloc}"
    if plain:
        return f"{'https' if settings.EVAC_HTTPS else address.scheme or 'http'}://{plain[0]}"
    raise NoPublicAddress(
        _(
            "Evac doesn't know its public address, so it can't send an invitation link: set "
            "EVAC_PUBLIC_URL (e.g. https://evac.example.org), or name the host in "
            "ALLOWED_HOSTS without a wildcard."
        )
    )


@transaction.atomic
def invitation_send(
    *, membership: Membership, by: Actor, site_url: str, language: str = ""
) -> Notification:
    """A new link for the member, by e-mail now; any earlier one stops working. Refused
    (accounts.invitations) for an account that already has a password or no e-mail."""
    invitation, token = invitation_issue(membership=membership, by=by)
    _cancel_pending(membership.user, membership.operation)
    return _email(invitation, token, by=by, site_url=site_url, language=language, role=membership)


def _email(
    invitation: Invitation,
    token: str,
    *,
    by: Actor,
    site_url: str,
    language: str,
    role: Membership | None,
) -> Notification:
    """The e-mail carrying the invitation's link, in the outbox (an operation's, or none for
    headquarters) and queued now."""
    user, operation = invitation.user, invitation.operation
    context = {
        "name": user.get_full_name() or user.get_username(),
        "username": user.get_username(),
        "operation": operation.name if operation is not None else "",
        "headquarters": operation is None,
        "inviter": _inviter(by),
        "expires": invitation.expires_at.strftime("%Y-%m-%d %H:%M"),
        "link": invitation_link(site_url),
    }
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        context["role"] = str(role.get_role_display()) if role is not None else ""
    fields = {
        "operation": operation,
        "staff_user": user,
        "kind": N.Kind.STAFF_INVITATION,
        "parameters": {},
        "due_at": now(),
        "secret": token,
        **message_fields(
            N.Kind.STAFF_INVITATION,
            language[:2],
            channel=N.Channel.EMAIL,
            to=user.email,
            context=context,
        ),
    }
    return _send_soon(_written(f"invitation:{invitation.pk}", fields, by))


@transaction.atomic
def headquarters_invite(
    *,
    username: str,
    by: Actor,
    site_url: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "",
) -> tuple[AbstractBaseUser, bool]:
    """Invite a person to headquarters by e-mail: a new account, or one that has no password
    yet (a new link replaces the earlier one). Headquarters only (accounts.invitations);
    the role is theirs once they set their password from the link. True if the account is
    new."""
    require_headquarters(by)  # before an account is made
    user, created = staff_account(
        username=username, email=email, first_name=first_name, last_name=last_name
    )
    invitation, token = headquarters_invitation_issue(user=user, by=by)
    _cancel_pending(user, None)
    _email(invitation, token, by=by, site_url=site_url, language=language, role=None)
    return user, created


@transaction.atomic
def member_invite(
    *,
    operation: Operation,
    username: str,
    role: str,
    by: Actor,
    site_url: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "",
) -> tuple[Membership, bool]:
    """Add a person to the operation (operations.services.member_add) and, if their account
    is new, e-mail them the link to set their password, in one transaction: a new account
    is never left without a way in."""
    membership, created = member_add(
        operation=operation,
        username=username,
        role=role,
        by=by,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    if created:
        invitation_send(membership=membership, by=by, site_url=site_url, language=language)
    return membership, created


@transaction.atomic
def invitation_take_back(*, membership: Membership, by: Actor) -> int:
    """The member's open link stops working, and an e-mail not yet sent is not sent."""
    revoked = invitation_revoke(membership=membership, by=by)
    _cancel_pending(membership.user, membership.operation)
    return revoked


def _inviter(by: Actor) -> str:
    user = user_of(by)
    return (user.get_full_name() or user.get_username()) if user is not None else "Evac"


def _cancel_pending(user: AbstractBaseUser, operation: Operation | None) -> None:
    """The person's invitation e-mails to this operation (None: headquarters) not yet sent
    are not sent."""
    N.objects.filter(
        operation=operation,
        staff_user=user,
        kind=N.Kind.STAFF_INVITATION,
        status=N.Status.PENDING,
    ).update(status=N.Status.CANCELLED, secret="")

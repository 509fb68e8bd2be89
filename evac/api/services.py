"""Creating and revoking API tokens: the only writes the API owns itself."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from evac.api.models import SHOWN_PREFIX_LENGTH, ApiToken, hash_key, new_key
from evac.core.actor import EVAC
from evac.core.clock import now
from evac.core.errors import InvalidTransition
from evac.operations.access import Actor

# Writing "last used" on every request would turn each read into a write; a minute is
# precise enough to tell a key in use from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)


def _require_owner_or_superuser(token_user: AbstractBaseUser, by: Actor) -> None:
    if by is EVAC or getattr(by, "is_superuser", False):
        return
    if getattr(by, "pk", None) != token_user.pk:
        raise PermissionDenied(_("You can only manage your own API tokens."))


def api_token_create(*, user: AbstractBaseUser, name: str, by: Actor) -> tuple[ApiToken, str]:
    """A new token for `user`, and its key: the only time the key is ever available."""
    _require_owner_or_superuser(user, by)
    key = new_key()
    token = ApiToken(user=user, name=name, prefix=key[:SHOWN_PREFIX_LENGTH], key_hash=hash_key(key))
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken, by: Actor) -> ApiToken:
    _require_owner_or_superuser(token.user, by)
    moment = now()
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=moment
    )
    if not revoked:
        raise InvalidTransition(_("This token was already revoked."))
    token.revoked_at = moment
    return token


def api_token_for_key(key: str) -> ApiToken | None:
    """The active token with this key, its user loaded; marks it used (once a minute)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    moment = now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=moment - LAST_USED_PRECISION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=moment)
    return token

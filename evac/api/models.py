import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evac.core.clock import now

# What every key starts with, so a key pasted into a chat or a log is recognisable as one.
KEY_PREFIX = "evac_"
# The first characters of a key that are kept in clear, so a person can tell keys apart.
SHOWN_PREFIX_LENGTH = 12


def hash_key(key: str) -> str:
    # A key is 256 random bits: a plain SHA-256 can't be reversed by guessing, so it needs
    # no slow password hash, and a lookup stays one indexed equality per request.
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A named key with which a staff member's other system calls the API as that member.

    Only the key's hash is stored: the key itself is shown once, when it is created. A
    revoked token stays in the table, so it is still known who had which key and when.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=SHOWN_PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="api_token_revoked_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

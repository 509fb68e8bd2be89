"""Backup codes: the second factor for a staff member whose phone is lost or flat.

django-otp's own static tokens are stored as typed; these keep only a keyed hash of each
code, like the API's tokens and the portal's one-time codes, so a copy of the database does
not hand anyone a way past the second factor.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin


def hash_backup_code(device_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"backup-code:{device_id}:{code}".encode(), hashlib.sha256).hexdigest()


def normalise_backup_code(typed: str) -> str:
    # People copy codes with spaces or dashes and in any case; the code itself has neither.
    return "".join(ch for ch in typed.upper() if ch.isalnum())


class BackupCodeDevice(ThrottlingMixin, Device):
    """One staff member's set of single-use backup codes."""

    class Meta:
        verbose_name = _("backup codes")
        verbose_name_plural = _("backup codes")

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: str) -> bool:
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        digest = hash_backup_code(self.pk, normalise_backup_code(token))
        # Deleting is the check: two requests with the same code can't both succeed.
        used, _rows = self.codes.filter(code_hash=digest).delete()
        if used:
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="backup_code_unique")
        ]

    def __str__(self) -> str:
        return f"Backup code of {self.device.user}"


def hash_invitation_token(token: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"invitation:{token}".encode(), hashlib.sha256).hexdigest()


class Invitation(models.Model):
    """A link that lets a new staff member set their own password, once, before it expires.

    Only a keyed hash of the link's token is kept: the token itself goes out in the e-mail
    (the outbox holds it masked until the provider has it), so no page, API, admin or log
    can show it, and a copy of the database opens no account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    # The operation the person was invited to: the e-mail names it, and its coordinators
    # may send the link again or take it back. None: an invitation to headquarters, which
    # grants that role when the link is used (accounts.invitations).
    operation = models.ForeignKey(
        "operations.Operation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_sent",
            ),
            # Used or revoked, never both: whichever came first settles it.
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_used_or_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.user}"

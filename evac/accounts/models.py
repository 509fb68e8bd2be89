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

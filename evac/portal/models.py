"""One-time codes that let a citizen change their own record from the public portal."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evac.core.clock import now
from evac.people.models import Citizen


class OneTimeCode(models.Model):
    """Six digits sent to the phone or e-mail on file; stored only as a keyed hash.

    Valid until `expires_at`, for a few wrong tries (`attempts`), and once (`used_at`).
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="one_time_codes")
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=8, choices=Channel)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["citizen", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["sms", "email"]), name="one_time_code_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"code for {self.citizen_id} ({self.channel})"

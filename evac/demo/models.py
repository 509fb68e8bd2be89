"""What `seed_demo` loaded: how the January 2022 week was placed in time, and its logins."""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evac.operations.models import Operation


class Replay(models.Model):
    """The demo operation's week of 5–11 January 2022, moved by `shift` (zero: as it was)."""

    operation = models.OneToOneField(Operation, on_delete=models.CASCADE, related_name="replay")
    shift = models.DurationField(default=timedelta)
    loaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("demo replay")

    def __str__(self) -> str:
        return f"{self.operation}: moved by {self.shift}"

    @property
    def historical(self) -> bool:
        return not self.shift

    @property
    def day_one(self) -> date:
        """The day the replay's 5 January 2022 falls on."""
        return (datetime(2022, 1, 5, 12, tzinfo=UTC) + self.shift).date()


class DemoAccount(models.Model):
    """A login that seed_demo made: only these may have their second-step code printed by
    `manage.py demo_code`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demo_account"
    )

    def __str__(self) -> str:
        return str(self.user)

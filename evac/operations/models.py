from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Operation(models.Model):
    """One crisis response: everything Evac holds belongs to exactly one operation."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    country = CountryField(_("country"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ACTIVE)
    hotline_phone = models.CharField(_("hotline phone"), max_length=40, blank=True)
    hotline_email = models.EmailField(_("hotline e-mail"), blank=True)
    # The embassy's current advice, shown first on the operation's public page.
    advice = models.TextField(_("advice to citizens"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="operations"
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="operation_ends_after_start",
                violation_error_message=_("An operation can't end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "closed"]),
                name="operation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    OFFICER = "officer", _("Consular officer")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A staff member's role in one operation; the only door to that operation's data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "operation"], name="one_role_per_operation"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.operation}"

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from evac.core.text import NOTE_LENGTH, LimitedTextField


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
    # Who answers for the passenger lists this operation sends a carrier or a border (the
    # PAXLST message's reporting party, NAD+MS): an embassy contact a border officer can call.
    embassy_contact_name = models.CharField(
        _("embassy contact for manifests"),
        max_length=35,
        blank=True,
        help_text=_("Named in the PAXLST file, e.g. “EMBASSY OF UKRAINE ASTANA”. 35 characters."),
    )
    embassy_contact_phone = models.CharField(
        _("embassy contact phone for manifests"), max_length=25, blank=True
    )
    # The languages the operation's people are written to in (codes of people.Language), and
    # the countries a phone number typed without its country code may be from, besides the
    # operation's own (people.selectors.phone_regions).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone_regions = models.JSONField(_("phone regions"), default=list, blank=True)
    # The embassy's current advice, shown first on the operation's public page.
    advice = LimitedTextField(_("advice to citizens"), max_length=NOTE_LENGTH, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="operations"
    )
    # Retention (operations.services): closing schedules the anonymisation of the
    # operation's personal data; the daily task carries it out and says when it did.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    anonymise_on = models.DateField(_("personal data anonymised on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("personal data anonymised at"), null=True, blank=True)

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
            # Only a closed operation waits for, or has had, its anonymisation: an active
            # one can't carry a schedule, and an anonymised one can't become active again.
            models.CheckConstraint(
                condition=Q(status="closed")
                | (Q(anonymise_on__isnull=True) & Q(anonymised_at__isnull=True)),
                name="operation_anonymised_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def written_languages(self) -> list[str]:
        """The languages its people are written to in and its portal speaks, in the order
        headquarters chose them (the first is the portal's default); every language Evac
        writes in when none was chosen."""
        known = [code for code, _name in settings.LANGUAGES]
        chosen = [code for code in self.languages or () if code in known]
        return chosen or known

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    # Retention's two rules, each with its SQL twin below for conditional UPDATEs and filters.
    # On the anonymisation day itself the schedule is fixed: the nightly run may be at work,
    # and a reopened operation must never be left half anonymised.

    def schedule_can_change(self, today: date) -> bool:
        """Its anonymisation date can move, or it can be reopened."""
        return (
            self.is_closed
            and not self.is_anonymised
            and (self.anonymise_on is None or self.anonymise_on > today)
        )

    def is_due_for_anonymisation(self, today: date) -> bool:
        return (
            self.is_closed
            and not self.is_anonymised
            and self.anonymise_on is not None
            and self.anonymise_on <= today
        )


def schedule_can_change_q(today: date) -> Q:
    return Q(status=Operation.Status.CLOSED, anonymised_at__isnull=True) & (
        Q(anonymise_on__isnull=True) | Q(anonymise_on__gt=today)
    )


def due_for_anonymisation_q(today: date) -> Q:
    return Q(status=Operation.Status.CLOSED, anonymised_at__isnull=True, anonymise_on__lte=today)


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
    # Who added whom, changed a role or removed a member, and when (operations.services).
    history = HistoricalRecords()

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


class Headquarters(models.Model):
    """A staff member at the ministry's headquarters, above every operation: they open new
    operations, close them, and see all of them (operations.access). They log in with the
    second step. Granted by an administrator (the admin), not from within an operation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="headquarters"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("headquarters member")
        verbose_name_plural = _("headquarters")

    def __str__(self) -> str:
        return str(self.user)

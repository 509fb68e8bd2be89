"""The access log: who viewed or exported which person's record or manifest, when, from where.

A row names its object by an identifier that is not personal data (a person's reference code,
a flight's number and date), never by a name, a document or a contact, so the log can be kept
and searched without becoming one more copy of what it guards. Rows are only ever added
(evac.audit.services.access_log_record); nothing in Evac changes or deletes one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evac.core.clock import now
from evac.core.reference import normalize_reference_code
from evac.operations.models import Operation


class AccessAction(models.TextChoices):
    PERSON_VIEWED = "person_viewed", _("Viewed a person's record")
    PERSON_EDIT_OPENED = "person_edit_opened", _("Opened a person's edit form")
    PERSON_CONTACTS_VIEWED = "person_contacts_viewed", _("Viewed a person's contact log")
    PERSON_MERGE_OPENED = "person_merge_opened", _("Compared two records to merge them")
    PERSON_MERGED = "person_merged", _("Merged two records of one person")
    PERSON_MERGE_UNDONE = "person_merge_undone", _("Undid a merge of two records")
    PAIR_DISMISSED = "pair_dismissed", _("Judged two records not to be one person")
    PAIR_RESTORED = "pair_restored", _("Withdrew a judgement that two records are two people")
    MANIFEST_VIEWED = "manifest_viewed", _("Viewed a manifest")
    BOARDING_OPENED = "boarding_opened", _("Opened boarding at the gate")
    MANIFEST_PRINTED = "manifest_printed", _("Opened a manifest for printing")
    MANIFEST_EXPORTED_CSV = "manifest_exported_csv", _("Exported a manifest (CSV)")
    MANIFEST_EXPORTED_XLSX = "manifest_exported_xlsx", _("Exported a manifest (XLSX)")
    MANIFEST_EXPORTED_JSON = "manifest_exported_json", _("Exported a manifest (JSON)")
    MANIFEST_EXPORTED_PAXLST = "manifest_exported_paxlst", _("Exported a manifest (PAXLST)")
    # The rows of an import that were not registered: the people in them, whole.
    IMPORT_ERRORS_DOWNLOADED = "import_errors_downloaded", _("Downloaded an import's error rows")


class AccessChannel(models.TextChoices):
    WEB = "web", _("Staff pages")
    API = "api", _("API")


class AccessObjectKind(models.TextChoices):
    PERSON = "person", _("Person")
    FLIGHT = "flight", _("Flight")
    TRANSFER = "transfer", _("Transfer")
    IMPORT = "import", _("Import")


PERSON_ACTIONS = frozenset(
    {
        AccessAction.PERSON_VIEWED,
        AccessAction.PERSON_EDIT_OPENED,
        AccessAction.PERSON_CONTACTS_VIEWED,
        AccessAction.PERSON_MERGE_OPENED,
        AccessAction.PERSON_MERGED,
        AccessAction.PERSON_MERGE_UNDONE,
        AccessAction.PAIR_DISMISSED,
        AccessAction.PAIR_RESTORED,
    }
)


class AccessLogEntry(models.Model):
    Action = AccessAction
    Channel = AccessChannel
    ObjectKind = AccessObjectKind

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="access_log")
    # The account may be deleted later; the name it had stays with the row.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    username = models.CharField(_("username"), max_length=150)
    at = models.DateTimeField(_("at"), default=now)
    action = models.CharField(_("action"), max_length=32, choices=Action)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel)
    object_kind = models.CharField(_("kind of record"), max_length=8, choices=ObjectKind)
    object_id = models.PositiveBigIntegerField(_("record id"))
    # "ABCD-EFGH" for a person, "PS9004 2022-01-13" for a flight: never a name or document.
    object_label = models.CharField(_("record"), max_length=40)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-at", "-pk"]
        indexes = [
            # The log page: an operation's entries, newest first.
            models.Index(fields=["operation", "-at"], name="access_log_op_at"),
            # "Who looked at ABCD-EFGH / at PS9004?" from the page's record filter.
            models.Index(fields=["operation", "object_label"], name="access_log_op_label"),
            # Everything about one person or flight, whatever its label became.
            models.Index(fields=["object_kind", "object_id", "-at"], name="access_log_object"),
            # The staff member filter, and its list of names.
            models.Index(fields=["operation", "username"], name="access_log_op_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AccessAction.values), name="access_log_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=AccessChannel.values), name="access_log_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(object_kind__in=AccessObjectKind.values),
                name="access_log_object_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} · {self.get_action_display()} · {self.object_label}"

    @property
    def reference_code(self) -> str:
        """A person's reference code as the URLs take it ("ABCDEFGH"); empty for a flight."""
        if self.object_kind != AccessObjectKind.PERSON:
            return ""
        return normalize_reference_code(self.object_label)

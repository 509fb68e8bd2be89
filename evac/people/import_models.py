"""The tables of a bulk import: the file and its progress, saved column mappings, and the
fingerprint of every row already registered, so that the same file imported twice registers
nobody twice. Imported from people/models.py, so they belong to the people app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evac.core.clock import now
from evac.operations.models import Operation


class PeopleImport(models.Model):
    """One uploaded list of people, mapped, then registered row by row by a task."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for its column mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=now)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200)
    # The file as uploaded (bounded by spreadsheets.MAX_FILE_BYTES): personal, erased with
    # the operation's other personal data.
    content = models.BinaryField()
    headers = models.JSONField(default=list)
    # Column index (as text) → the field it fills (spreadsheets.TARGETS).
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAPPING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    rows_error = models.PositiveIntegerField(default=0)
    # The rows that were not registered: their cells as in the file, and the reason last.
    error_rows = models.JSONField(default=list)
    failure = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return 100 if not self.rows_total else min(100, 100 * self.rows_done // self.rows_total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportMapping(models.Model):
    """A column mapping staff saved under a name, for the next list from the same source."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="import_mappings"
    )
    name = models.CharField(max_length=100)
    mapping = models.JSONField(default=dict)  # header text → target

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "name"], name="import_mapping_name")
        ]

    def __str__(self) -> str:
        return self.name


class ImportedRow(models.Model):
    """A row some import registered, by a hash of its mapped values."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    citizen = models.ForeignKey(
        "people.Citizen", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "fingerprint"], name="imported_row_fingerprint"
            )
        ]

    def __str__(self) -> str:
        return self.fingerprint[:12]

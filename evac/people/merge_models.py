"""The record of a merge of two records of one person, with what it takes to undo it.

Imported from people/models.py, so it belongs to the people app. The record that went away
is kept here whole (its fields as they were), with the kept record's fields from before the
merge and the ids of every row that moved, so an undo puts both back exactly. Ids rather
than foreign keys: the record that went away has no row to point at, and the kept one may
itself be merged into a third later.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evac.core.clock import now
from evac.operations.models import Operation


class CitizenMerge(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="merges")
    kept_id = models.PositiveBigIntegerField(_("kept record"), db_index=True)
    kept_reference_code = models.CharField(_("kept reference code"), max_length=12)
    dropped_id = models.PositiveBigIntegerField(_("merged-away record"))
    # The old code still finds the person (on the portal too) while the merge stands.
    dropped_reference_code = models.CharField(
        _("merged-away reference code"), max_length=12, db_index=True
    )
    # Django's serialised form of each record (people.merges reads them back).
    kept_before = models.JSONField(default=dict)
    dropped_record = models.JSONField(default=dict)
    # What moved from the merged-away record, by the app that moved it ("people",
    # "flights", "notifications"): ids, for the undo.
    moved = models.JSONField(default=dict)
    merged_at = models.DateTimeField(_("merged at"), default=now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.dropped_reference_code} → {self.kept_reference_code}"

    @property
    def standing(self) -> bool:
        return self.undone_at is None


def standing_code(operation_id: int, code: str) -> str:
    """The reference code that stands for `code` (normalised) now: the kept record's when
    `code`'s record was merged into it, else `code` itself."""
    kept = (
        CitizenMerge.objects.filter(
            operation_id=operation_id, dropped_reference_code=code, undone_at=None
        )
        .values_list("kept_reference_code", flat=True)
        .first()
    )
    return kept or code


class DuplicatePair(models.Model):
    """Two records that may be one person, as the finder (people.duplicates) scored them.

    Stored when people are registered, imported or changed, so the staff queue reads rows
    instead of scoring the operation on every visit. `reasons` are the finder's words in
    English (its msgids), translated when shown. A record that goes takes its pairs along.
    """

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="+")
    first = models.ForeignKey("people.Citizen", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("people.Citizen", on_delete=models.CASCADE, related_name="+")
    likelihood = models.FloatField()
    reasons = models.JSONField(default=list)
    found_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-likelihood", "first", "second"]
        indexes = [models.Index(fields=["operation", "-likelihood"], name="duplicate_op_likely")]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="duplicate_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≈ {self.second_id} ({self.likelihood})"


class DismissedPair(models.Model):
    """Two records staff judged not to be one person: the finder never proposes them again.

    Goes with either record (a merge or an erasure takes it along)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="+")
    first = models.ForeignKey("people.Citizen", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("people.Citizen", on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(_("dismissed at"), default=now)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="dismissed_pair_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="dismissed_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"

"""The children left without an adult of their household, stored so no page recomputes them.

Imported from flights/models.py, so the table belongs to the flights app;
flights/minors_kept.py alone writes it.
"""

from django.db import models

from evac.operations.models import Operation
from evac.people.models import Citizen, Household


class MinorAlone(models.Model):
    """One minor whom `flights.minors.household_minors_alone` finds without an adult of their
    household to travel with. A household has a row per such minor."""

    # No database constraint to the operation: deleting one deletes its people first, and
    # their signals may still rewrite rows; minors_kept.connect() removes them with it.
    operation = models.ForeignKey(
        Operation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    citizen = models.OneToOneField(Citizen, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["operation", "household"], name="minor_alone_household")]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.citizen_id}"

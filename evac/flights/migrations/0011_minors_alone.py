"""The children left without an adult of their household, stored (flights.minors_kept), and
written for the operations that exist."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor) -> None:
    # The rule needs the models' own methods (ages on the day of travel, local departure
    # times): the current code, run on the operations there are. A new database has none.
    operations = apps.get_model("operations", "Operation")
    ids = list(operations.objects.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return
    from evac.flights.minors_kept import rebuild

    for operation_id in ids:
        rebuild(operation_id)


class Migration(migrations.Migration):
    dependencies = [
        ("flights", "0010_transfer_seats_replace_passengers"),
        ("operations", "0008_headquarters"),
        ("people", "0013_dismissed_pairs"),
    ]

    operations = [
        migrations.CreateModel(
            name="MinorAlone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "citizen",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.citizen",
                    ),
                ),
                (
                    "household",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.household",
                    ),
                ),
                (
                    "operation",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="operations.operation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["operation", "household"], name="minor_alone_household")
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

"""The operation's people in numbers (people.counts), counted once for the people already
registered; from here on the writes that move them keep them."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from evac.core.clock import today
    from evac.people.counts import recount
    from evac.people.models import vulnerable_q

    Citizen = apps.get_model("people", "Citizen")
    PeopleCount = apps.get_model("people", "PeopleCount")
    Citizen.objects.filter(vulnerable_q(today())).update(vulnerable_counted=True)
    operations = Citizen.objects.order_by().values_list("operation_id", flat=True).distinct()
    for operation_id in list(operations):
        recount(operation_id, citizens=Citizen, model=PeopleCount)


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0008_headquarters"),
        ("people", "0011_duplicate_pairs"),
        ("places", "0003_airport_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="citizen",
            name="vulnerable_counted",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.CreateModel(
            name="PeopleCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=20)),
                ("vulnerable", models.BooleanField()),
                ("first", models.BooleanField()),
                ("shard", models.PositiveSmallIntegerField()),
                ("people", models.IntegerField(default=0)),
                (
                    "city",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="places.city",
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
                "constraints": [
                    models.UniqueConstraint(
                        fields=("operation", "city", "status", "vulnerable", "first", "shard"),
                        name="people_count_key",
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

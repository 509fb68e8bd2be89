"""The registry filtered by status and city, in name order: Next from any page reads a range
of one index instead of sorting the city's people. It replaces (and serves) the index on
operation, status and city; made before that one goes, so the counts never lack one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0008_headquarters"),
        ("people", "0013_dismissed_pairs"),
        ("places", "0004_coordinates"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(
                fields=["operation", "status", "current_city", "surname", "given_names", "id"],
                name="citizen_op_status_city_name",
            ),
        ),
        migrations.RemoveIndex(model_name="citizen", name="people_citi_operati_7b2ffc_idx"),
    ]

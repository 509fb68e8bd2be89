from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_imports"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(
                fields=["operation", "status", "document_expires_on"], name="citizen_op_expiring"
            ),
        ),
    ]

from django.db import migrations, models


def keep_parameters_of_pending(apps, schema_editor):
    """What the messages still waiting were made from, where their rows tell it.

    A reminder's key names its hours ("reminder:<booking>:24h:…"); a broadcast's text is the
    staff's words as they were typed (the template adds nothing to them). A registration
    confirmation's portal address is lost: it keeps its words if the person's contacts change.
    """
    Notification = apps.get_model("notifications", "Notification")
    pending = Notification.objects.filter(status="pending")
    for reminder in pending.filter(kind="flight_reminder").only("pk", "idempotency_key"):
        hours = reminder.idempotency_key.split(":")[2].removesuffix("h")
        if hours.isdigit():
            reminder.parameters = {"hours": int(hours)}
            reminder.save(update_fields=["parameters"])
    for broadcast in pending.filter(kind="broadcast").only("pk", "body"):
        broadcast.parameters = {"text": broadcast.body}
        broadcast.save(update_fields=["parameters"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_portal_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="parameters",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.RunPython(keep_parameters_of_pending, migrations.RunPython.noop),
    ]

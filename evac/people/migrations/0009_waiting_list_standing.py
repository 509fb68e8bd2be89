"""Each waiting person's unit standing on the waiting list (people.queue), written for the
people already registered, and the hourly task that follows birthdays into it."""

from django.db import migrations, models

REFRESH = "Follow birthdays into the waiting list's order"


def fill(apps, schema_editor):
    from evac.people.queue import rewrite

    rewrite(apps.get_model("people", "Citizen").objects.all())


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Hourly, so a person who comes of age or turns elderly moves within the hour after
    # midnight in the server's time zone; each run is a few hundred rows at most.
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(
        name=REFRESH,
        defaults={"task": "evac.people.tasks.refresh_waiting_list_birthdays", "crontab": hourly},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=REFRESH).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0007_membership_history"),
        ("people", "0008_expiring_documents_index"),
        ("places", "0003_airport_history"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="citizen",
            name="queue_first",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="citizen",
            name="queue_priority",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="citizen",
            name="queue_size",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(
                models.F("operation"),
                models.OrderBy(models.F("queue_priority"), descending=True),
                models.F("registered_at"),
                models.F("id"),
                condition=models.Q(("queue_first", True), ("status", "waiting")),
                name="citizen_queue",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_schedule, remove_schedule),
    ]

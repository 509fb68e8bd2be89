"""The daily anonymisation of closed operations, in django-celery-beat's tables.

Made once here, as the notification schedules are (notifications 0002), so an administrator
can see it in the admin (Periodic tasks) and change its time; a later migrate doesn't
overwrite that change.
"""

from django.db import migrations

ANONYMISE = "Anonymise closed operations that are due"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # 01:30 UTC: night in Kyiv (03:30) and Almaty (07:30 is before the working day), after
    # the day has turned in UTC, the calendar the schedule's dates are in.
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(
        name=ANONYMISE,
        defaults={"task": "evac.operations.tasks.anonymise_due_operations", "crontab": nightly},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=ANONYMISE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0003_retention"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]

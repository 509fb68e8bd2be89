"""The periodic tasks of notifications, in django-celery-beat's tables.

Made once here, so they show in the admin (Periodic tasks) where an administrator can change
their times or switch them off; a later migrate doesn't overwrite those changes.
"""

from django.db import migrations

DISPATCH = "Send due notifications"
CHECK_INS = "Check-ins to waiting people"
DIGEST = "Daily digest to staff"


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_30_seconds, _ = IntervalSchedule.objects.get_or_create(every=30, period="seconds")
    # In UTC: 04:00 is 10:00 in Almaty, 06:00 in Kyiv; 03:00 is 09:00 and 05:00.
    check_in_time, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="4", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    digest_time, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    tasks = [
        (DISPATCH, "evac.notifications.tasks.dispatch_due", {"interval": every_30_seconds}),
        (CHECK_INS, "evac.notifications.tasks.schedule_check_ins", {"crontab": check_in_time}),
        (DIGEST, "evac.notifications.tasks.schedule_staff_digests", {"crontab": digest_time}),
    ]
    for name, task, schedule in tasks:
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, **schedule})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[DISPATCH, CHECK_INS, DIGEST]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]

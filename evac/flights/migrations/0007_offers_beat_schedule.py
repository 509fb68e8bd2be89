"""The seat offers' clock, in django-celery-beat's tables: every minute, expire the offers
whose deadline passed and offer the automatic flights' free seats. Made once, as the
notification schedules are, so an administrator's change in the admin is kept."""

from django.db import migrations

OFFERS_TICK = "Expire seat offers and offer free seats"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    PeriodicTask.objects.get_or_create(
        name=OFFERS_TICK,
        defaults={"task": "evac.flights.tasks.offers_tick", "interval": every_minute},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=OFFERS_TICK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("flights", "0006_seat_offers"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]

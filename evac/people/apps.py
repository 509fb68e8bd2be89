from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "evac.people"

    def ready(self) -> None:
        from evac.people import counts, queue, time_counts

        queue.connect()
        counts.connect()
        time_counts.connect()

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "evac.people"

    def ready(self) -> None:
        from evac.people import counts, queue

        queue.connect()
        counts.connect()

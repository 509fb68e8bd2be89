from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "evac.core"

    def ready(self) -> None:
        # Connects the receiver that notes when someone logs in.
        from evac.core import sessions  # noqa: F401

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "evac.core"

    def ready(self) -> None:
        # Connect the receiver that notes when someone logs in, and register the deploy
        # check for a shared cache.
        from evac.core import checks, sessions  # noqa: F401

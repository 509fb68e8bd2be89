from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "evac.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        # Teaches drf-spectacular how our token authentication looks in the schema.
        from evac.api import schema  # noqa: F401

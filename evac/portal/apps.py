from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "evac.portal"
    verbose_name = "Citizen portal"

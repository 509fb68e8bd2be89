from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "evac.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Flights sit below messages and never import them: they tell what changed through
        # flights.events, and the scheduling services here listen.
        from evac.flights import events
        from evac.notifications import services

        events.listen(services)

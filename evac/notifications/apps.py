from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "evac.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Flights and people sit below messages and never import them: flights tell what
        # changed through flights.events, and the scheduling services here listen; people's
        # services reach the addresses of a person's messages through people.hooks.
        from evac.flights import events
        from evac.notifications import addressing, services
        from evac.people import hooks

        events.listener.fill(services)
        hooks.messages.fill(addressing)

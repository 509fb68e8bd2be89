from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "evac.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Flights and people sit below messages and never import them: flights tell what
        # changed through flights.events, and notifications.travel listens; people's
        # services reach the addresses of a person's messages through people.hooks, and a
        # merge of two records of one person moves the messages through people.merges.
        from evac.flights import events
        from evac.notifications import addressing, merges, travel
        from evac.people import hooks
        from evac.people.merges import merge_step_register

        events.listener.fill(travel)
        hooks.messages.fill(addressing)
        merge_step_register(merges.STEP)

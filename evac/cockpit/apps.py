from django.apps import AppConfig


class CockpitConfig(AppConfig):
    """The top of the staff side: the staff home, each operation's dashboard, its closing
    and the anonymisation of its personal data. It reads every app below it; none reads it.
    It has no models, so no name of its own to show in the admin."""

    name = "evac.cockpit"

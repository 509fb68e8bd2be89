from django.apps import AppConfig


class FlightsConfig(AppConfig):
    name = "evac.flights"

    def ready(self) -> None:
        # People sit below flights and never import them: their status services reach the
        # seat a decision gives up through people.hooks.
        from evac.flights import decisions
        from evac.people import hooks

        hooks.seats.fill(decisions)

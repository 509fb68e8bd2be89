from django.apps import AppConfig


class FlightsConfig(AppConfig):
    name = "evac.flights"

    def ready(self) -> None:
        # People sit below flights and never import them: their status services reach the
        # seat a decision gives up through people.hooks, and a merge of two records of one
        # person moves the seats by the flights' rules through people.merges.
        from evac.flights import decisions, merges, minors_kept
        from evac.people import hooks
        from evac.people.merges import merge_step_register

        hooks.seats.fill(decisions)
        merge_step_register(merges.STEP)
        # The children left without an adult, kept by every write they depend on.
        minors_kept.connect()

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from evac.demo.scenario import load_demo


class Command(BaseCommand):
    help = (
        "Load the January 2022 Kazakhstan scenario, replayed in the present, and its demo "
        "logins. Safe to run again: a loaded story is kept unless --reanchor is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            help="password for the coordinator, officer and viewer logins "
            "(default: the EVAC_DEMO_PASSWORD setting)",
        )
        parser.add_argument(
            "--historical",
            action="store_true",
            help="load the week with its dates as they were (5-11 January 2022)",
        )
        parser.add_argument(
            "--reanchor",
            action="store_true",
            help="remove the loaded story and replay it from now",
        )

    def handle(
        self,
        *args,
        password: str | None = None,
        historical: bool = False,
        reanchor: bool = False,
        **options,
    ) -> None:
        if password is None:
            password = settings.EVAC_DEMO_PASSWORD
        if not password:
            raise CommandError("The demo logins need a password: pass --password.")
        result = load_demo(password, historical=historical, reanchor=reanchor)
        self.stdout.write(result.summary())

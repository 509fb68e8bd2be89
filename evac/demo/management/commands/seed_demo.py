from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from evac.demo.scenario import load_demo


class Command(BaseCommand):
    help = "Load the January 2022 Kazakhstan scenario and its demo logins. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            help="password for the coordinator, officer and viewer logins "
            "(default: the EVAC_DEMO_PASSWORD setting)",
        )

    def handle(self, *args, password: str | None = None, **options) -> None:
        if password is None:
            password = settings.EVAC_DEMO_PASSWORD
        if not password:
            raise CommandError("The demo logins need a password: pass --password.")
        result = load_demo(password)
        self.stdout.write(result.summary())

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evac.demo.logins import DemoCodeRefused, demo_code


class Command(BaseCommand):
    help = (
        "Print the current second-step code of a demo login (coordinator, officer). "
        "Only for accounts seed_demo made; refused in production (EVAC_HTTPS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        try:
            code = demo_code(username)
        except DemoCodeRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(code)

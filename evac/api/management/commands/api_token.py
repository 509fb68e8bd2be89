from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from evac.api.services import api_token_create
from evac.core.actor import EVAC


class Command(BaseCommand):
    help = "Create an API token for a user and print its key (shown only this once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="created on the command line")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        _token, key = api_token_create(user=user, name=name, by=EVAC)
        self.stdout.write(key)

"""Write the operations' people counts (people.counts) from their people, after a bulk load
that saved nobody, or to make sure they are right."""

from django.core.management.base import BaseCommand

from evac.operations.models import Operation
from evac.people.counts import recount_all


class Command(BaseCommand):
    help = "Recount the people of every operation (or of those named by slug) by status and city."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slugs", nargs="*", help="operations to recount (default: all)")

    def handle(self, *args, slugs: list[str], **options) -> None:
        operations = Operation.objects.order_by("pk")
        if slugs:
            operations = operations.filter(slug__in=slugs)
        ids = list(operations.values_list("pk", flat=True))
        recount_all(ids)
        self.stdout.write(f"Recounted {len(ids)} operation(s).")

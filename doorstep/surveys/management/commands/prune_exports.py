"""`python -m doorstep prune_exports`: delete survey exports past their day (their files and keys).
Each new export request does it too; run this daily where exports are rare."""

from django.core.management.base import BaseCommand

from doorstep.surveys import services


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        count = services.prune_exports()
        self.stdout.write(f"{count} expired export(s) deleted")

"""`python -m doorstep refresh_work`: recompute the orders still waiting for pay (their "paid late"
flag grows with time), or with ``--all`` every order. Run it daily (cron or a systemd timer)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from doorstep.work.services import figures


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every order, not only those waiting for pay.")

    def handle(self, *args, all: bool, **options):
        with transaction.atomic():
            count = figures.recompute(waiting_only=not all)
        self.stdout.write(f"{count} work orders recomputed")

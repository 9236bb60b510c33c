"""`python -m doorstep refresh_analytics`: bring the analytics engine's files up to date now (the
dashboards also ask for it in the background when their figures are older than ANALYTICS_MAX_AGE).
Run it from cron or a timer where no dashboard is looked at for long."""

from django.core.management.base import BaseCommand

from doorstep.core import analytics


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Read everything again.")
        parser.add_argument("--verify", action="store_true", help="Read every file whole to find damage.")

    def handle(self, *args, full: bool, verify: bool, **options):
        self.stdout.write(analytics.refresh(full=full, verify=verify).summary())

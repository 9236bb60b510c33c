"""`python -m doorstep refresh_analytics`: bring the analytics engine's files up to date now (the
dashboards also ask for it in the background when their figures are older than ANALYTICS_MAX_AGE).
Run it from cron or a timer where no dashboard is looked at for long."""

from django.core.management.base import BaseCommand

from doorstep.insights import engine


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Read everything again.")
        parser.add_argument("--verify", action="store_true", help="Read every file whole to find damage.")

    def handle(self, *args, full: bool, verify: bool, **options):
        report = engine.refresh(full=full, verify=verify)
        self.stdout.write(
            f"Refreshed in {report.seconds:.1f} s: {report.partitions_written} order files written "
            f"({report.orders_rows:,} rows; {report.changed_orders:,} changed orders read), "
            f"{report.partitions_kept} kept, {report.partitions_removed} removed, "
            f"{report.rebuilt_damaged} damaged or missing rebuilt, "
            f"{report.members_written} member files written"
        )

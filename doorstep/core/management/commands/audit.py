from django.core.management.base import BaseCommand, CommandError

from doorstep.core import audit


class Command(BaseCommand):
    help = "Work with the audit log. `audit verify` checks every link of the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action: str, **options):
        result = audit.verify()
        if not result.ok:
            raise CommandError(
                f"BROKEN at event {result.broken_at}: {result.reason} "
                f"({result.checked} events before it are intact)."
            )
        self.stdout.write(f"OK: {result.checked} events, chain intact.")

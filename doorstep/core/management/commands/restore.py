from django.core.management.base import BaseCommand, CommandError

from doorstep.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup (DIR, from `backup`) into an empty database, then the key store (--keys, "
        "from `backup-keys`, as recent as you have); erasures recorded since the backup are applied again."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument("--keys", required=True, metavar="KEYS_DIR", help="the key store backup's folder")

    def handle(self, *args, directory: str, keys: str, **options):
        try:
            result = backup.restore(directory, keys)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {sum(result.counts.values())} rows in {len(result.counts)} tables (as the manifest "
            f"counts); {result.erased_again} rows erased again since the backup; audit log intact "
            f"({result.verified_events} events). Run `python -m doorstep migrate` if this version is newer."
        )

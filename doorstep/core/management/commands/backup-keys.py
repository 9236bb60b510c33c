from django.core.management.base import BaseCommand, CommandError

from doorstep.core import backup


class Command(BaseCommand):
    help = (
        "Write the key store (organization keys, data keys, erasure log) sealed into DIR (a new, empty "
        "folder). Keep these backups a short time only: an erased member's key lives on in them."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory: str, **options):
        try:
            result = backup.backup_keys(directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        counts = ", ".join(f"{n} {table}" for table, n in result.manifest["counts"].items())
        self.stdout.write(f"Wrote {result.path}: {counts}.")

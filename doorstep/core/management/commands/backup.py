from django.core.management.base import BaseCommand, CommandError

from doorstep.core import backup


class Command(BaseCommand):
    help = (
        "Write a sealed backup of the database and Doorstep's files into DIR (a new, empty folder), "
        "without the key store: back that up with `backup-keys`."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory: str, **options):
        try:
            result = backup.backup(directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        self.stdout.write(
            f"Wrote {result.path}: {sum(manifest['counts'].values())} rows in {len(manifest['counts'])} "
            f"tables, audit log at event {manifest['audit_head']['sequence']}. "
            "The key store is not in it: run `backup-keys` too."
        )

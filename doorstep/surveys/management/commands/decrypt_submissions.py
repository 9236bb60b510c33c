"""`python -m doorstep decrypt_submissions <form id> --as <username> --key private.pem`: decrypt a
form's encrypted submissions (ODK's format) with the form's RSA private key. The key is read from the
file (or standard input with `--key -`), used in memory and never stored; set its passphrase, if it
has one, in the environment variable named by `--passphrase-env`."""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from doorstep.organizations.models import User
from doorstep.surveys import encryption, queries, services


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("form_id", type=int)
        parser.add_argument(
            "--as", dest="username", required=True, help="An organizer or admin of the form's organization."
        )
        parser.add_argument("--key", required=True, help="The PEM private key file, or - for standard input.")
        parser.add_argument(
            "--passphrase-env", default="", help="The environment variable holding the key's passphrase."
        )

    def handle(self, *args, form_id, username, key, passphrase_env, **options):
        try:
            actor = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active user {username!r}") from None
        form = queries.get_form(actor, form_id)
        pem = sys.stdin.buffer.read() if key == "-" else _read(key)
        passphrase = os.environ.get(passphrase_env, "").encode() if passphrase_env else None
        try:
            private_key = encryption.load_private_key(pem, passphrase or None)
        except encryption.DecryptionError as error:
            raise CommandError(str(error)) from None
        result = services.decrypt_submissions(form, private_key=private_key, actor=actor)
        for problem in result["problems"]:
            self.stderr.write(f"{problem['instance_id']}: {problem['problem']}")
        self.stdout.write(
            f"{result['decrypted']} submission(s) decrypted, {len(result['problems'])} left as they were"
        )
        if result["problems"] and not result["decrypted"]:
            raise CommandError("nothing was decrypted")


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise CommandError(f"cannot read the key: {error}") from None

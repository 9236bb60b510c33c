"""`python -m doorstep export_submissions <form id> --as <username> --format csv|xlsx -o FILE`:
a form's submissions exported from the command line (for very large forms, or scheduled copies),
through the same path, checks and audit as the page."""

import shutil
import sys

from django.core.management.base import BaseCommand, CommandError

from doorstep.organizations.models import User
from doorstep.surveys import queries, services


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("form_id", type=int)
        parser.add_argument(
            "--as", dest="username", required=True, help="An organizer or admin of the form's organization."
        )
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--labels", action="store_true")
        parser.add_argument("--split", action="store_true")
        parser.add_argument(
            "-o", "--output", required=True, help="A file to write, or - for standard output."
        )

    def handle(self, *args, form_id, username, format, labels, split, output, **options):
        try:
            actor = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active user {username!r}") from None
        form = queries.get_form(actor, form_id)
        content, streamed, filename, _kind = services.export(
            form, fmt=format, use_labels=labels, split=split, language="en", actor=actor
        )
        target = sys.stdout.buffer if output == "-" else open(output, "wb")
        try:
            if streamed:
                for chunk in content:
                    target.write(chunk.encode("utf-8"))
            else:
                shutil.copyfileobj(content, target, 1 << 20)
        finally:
            if target is not sys.stdout.buffer:
                target.close()
        if output != "-":
            self.stderr.write(f"{filename} written to {output}")

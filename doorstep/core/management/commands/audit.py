from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from doorstep.core import audit


class Command(BaseCommand):
    help = (
        "Work with the audit log. `audit verify` checks every link of the keyed hash chain (and, with "
        "--anchors FILE, the chain against every anchor in FILE); `audit anchor` writes the verified, "
        "signed head as one JSON line (to --output FILE, appended, or standard output) to keep outside "
        "the database; `audit seal` seals a chain written before DOORSTEP_AUDIT_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "anchor", "seal"])
        parser.add_argument("--anchors", type=Path, help="verify: a file of anchors `audit anchor` wrote")
        parser.add_argument("--output", type=Path, help="anchor: append the anchor to this file")

    def handle(self, *args, action: str, anchors: Path | None = None, output: Path | None = None, **options):
        try:
            if action == "anchor":
                line = audit.anchor().line()
                if output is None:
                    self.stdout.write(line)
                else:
                    with output.open("a", encoding="utf-8") as target:
                        target.write(line + "\n")
                    self.stderr.write(f"Anchor appended to {output}.")
                return
            if action == "seal":
                sealed = audit.seal()
                self.stdout.write(
                    "Nothing to seal: every event is keyed."
                    if sealed is None
                    else f"Sealed {sealed.metadata['unkeyed_events']} events at event {sealed.sequence}."
                )
                return
            found = audit.read_anchors(anchors.read_text(encoding="utf-8").splitlines()) if anchors else []
        except audit.ChainBroken as broken:
            raise CommandError(str(broken)) from None
        except (audit.AnchorError, OSError) as error:
            raise CommandError(f"{anchors}: {error}") from None
        result = audit.verify(anchors=found)
        if not result.ok:
            raise CommandError(
                f"BROKEN at event {result.broken_at}: {result.reason} "
                f"({result.checked} events before it are intact)."
            )
        against = f" and {len(found)} anchors" if found else ""
        self.stdout.write(f"OK: {result.checked} events, chain intact{against}.")
        if result.unkeyed:
            self.stdout.write(f"({result.unkeyed} events from before the audit key, sealed.)")

from django.conf import settings
from django.core.management.base import BaseCommand

from doorstep.core import vault


class Command(BaseCommand):
    help = (
        "Manage the vault's keys. `keys rotate` re-wraps every organization key under DOORSTEP_MASTER_KEY "
        "(put the old master key in DOORSTEP_PREVIOUS_MASTER_KEYS while it runs; remove it afterwards). "
        "`keys status` says how many organization keys still need the old key."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rotate", "status"])

    def handle(self, *args, action: str, **options):
        if action == "status":
            waiting = vault.keys_needing_rotation()
            current = vault.master_key_id(settings.MASTER_KEY)
            self.stdout.write(
                f"Current master key {current}: {waiting} organization key(s) wrapped by another key."
            )
            return
        result = vault.rotate_master_key()
        self.stdout.write(
            f"Re-wrapped {result.rewrapped} organization key(s); {result.already_current} already used the "
            "current "
            "master key. The previous master key is no longer needed."
        )

"""``python -m doorstep sms_sweep``: queue again the SMS whose wait is over (a retry's backoff, the
rate limit, the daily cap) and those left half-sent by a worker that died (once; see
``messaging.services.sending``). Run it every minute or so from cron beside ``db_worker``."""

from django.core.management.base import BaseCommand

from doorstep.messaging.services import sending


class Command(BaseCommand):
    help = "Queue again the SMS whose wait is over, and those a dead worker left half-sent."

    def handle(self, *args, **options):
        recovered = sending.recover_stalled()
        due = sending.send_due()
        self.stdout.write(f"{len(recovered)} half-sent queued again, {due} due queued")

"""``python -m doorstep send_reminders``: e-mail grievance deadlines due by tomorrow (or past) to the
organizer who took up each case. Run it daily (cron or a systemd timer); the home page shows the same
deadlines to the organization's staff whether or not e-mail is set up."""

from django.core.management.base import BaseCommand

from doorstep.grievances.services.reminders import send_reminders


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent")

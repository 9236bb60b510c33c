from django.core.management.base import BaseCommand

from doorstep.organizations import demo


class Command(BaseCommand):
    help = "Load the demo organizations, users and content (idempotent: running it again adds nothing)."

    def handle(self, *args, **options):
        rows = demo.load()
        width = max(len(username) for username, _, _ in rows)
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}; demo only)\n")
        for username, organization, role in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role:<22} {organization}")
        self.stdout.write("")

"""``python -m doorstep load_demo``: the demo organizations and users, then every app's demo content
(each ``doorstep.<app>.demo.load()``), and the demo logins. Idempotent."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand

from doorstep.organizations import demo


class Command(BaseCommand):
    help = (
        "Load the demo organizations, users and content (idempotent: running it again adds nothing). "
        "Each Doorstep app with a `demo` module adds its own content after the organizations."
    )

    def handle(self, *args, **options):
        rows = demo.load()
        for config in apps.get_app_configs():
            if config.name.startswith("doorstep.") and config.label != "organizations":
                module = f"{config.name}.demo"
                if find_spec(module) is not None:
                    for line in import_module(module).load():
                        self.stdout.write(f"  {line}")
        width = max(len(username) for username, _, _ in rows)
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}; demo only)\n")
        for username, organization, role in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role:<22} {organization}")
        self.stdout.write("")

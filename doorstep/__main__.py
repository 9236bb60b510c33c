"""`python -m doorstep …` runs Django's management commands with Doorstep's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorstep.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - settings named first

    execute_from_command_line([f"{sys.executable} -m doorstep", *sys.argv[1:]])


if __name__ == "__main__":
    main()

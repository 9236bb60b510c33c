"""Write development keys to ``var/doorstep.env`` once (``python -m doorstep.devkeys``).

Runs without Django, because the settings refuse to load until these keys exist. An existing file
is left alone, so a developer's database stays readable across ``make run``s.
"""

import base64
import secrets
import sys
from pathlib import Path

ENV_FILE = Path(__file__).resolve().parent.parent / "var" / "doorstep.env"


def write_development_env(path: Path = ENV_FILE) -> bool:
    """Create the file with fresh keys; return False if it already existed."""
    if path.exists():
        _add_backup_key(path)
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    master_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    path.write_text(
        "# Development settings written by `python -m doorstep.devkeys`. Never use in production.\n"
        "DOORSTEP_DEBUG=1\n"
        f"DOORSTEP_SECRET_KEY=dev-{secrets.token_urlsafe(48)}\n"
        f"DOORSTEP_MASTER_KEY={master_key}\n"
        f"DOORSTEP_BACKUP_KEY={_new_key()}\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return True


def _new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _add_backup_key(path: Path) -> None:
    """A file written before backups existed gets its backup key added (its other keys are kept)."""
    text = path.read_text(encoding="utf-8")
    if "DOORSTEP_BACKUP_KEY=" not in text:
        path.write_text(text.rstrip("\n") + f"\nDOORSTEP_BACKUP_KEY={_new_key()}\n", encoding="utf-8")


if __name__ == "__main__":
    created = write_development_env()
    print(f"{'Wrote' if created else 'Kept'} development keys in {ENV_FILE}", file=sys.stderr)

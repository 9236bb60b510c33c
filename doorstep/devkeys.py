"""Write development keys to ``var/doorstep.env`` once (``python -m doorstep.devkeys``).

Runs without Django, because the settings refuse to load until these keys exist. An existing file
keeps its keys, so a developer's database stays readable across ``make run``s; a key added to
Doorstep since the file was written (``DOORSTEP_AUDIT_KEY``, ``DOORSTEP_BACKUP_KEY``) is appended to it.
"""

import base64
import secrets
import sys
from pathlib import Path

ENV_FILE = Path(__file__).resolve().parent.parent / "var" / "doorstep.env"


def _new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _added_later() -> dict[str, str]:
    """Keys a file written by an older Doorstep may lack."""
    return {"DOORSTEP_AUDIT_KEY": _new_key(), "DOORSTEP_BACKUP_KEY": _new_key()}


def write_development_env(path: Path = ENV_FILE) -> bool:
    """Create the file with fresh keys; return False if it already existed (then only the keys
    it lacks are appended)."""
    if path.exists():
        text = path.read_text(encoding="utf-8")
        names = {line.split("=", 1)[0].strip() for line in text.splitlines() if "=" in line}
        missing = {name: value for name, value in _added_later().items() if name not in names}
        if missing:
            ending = "" if not text or text.endswith("\n") else "\n"
            lines = "".join(f"{name}={value}\n" for name, value in missing.items())
            path.write_text(text + ending + lines, encoding="utf-8")
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Development settings written by `python -m doorstep.devkeys`. Never use in production.\n"
        "DOORSTEP_DEBUG=1\n"
        f"DOORSTEP_SECRET_KEY=dev-{secrets.token_urlsafe(48)}\n"
        f"DOORSTEP_MASTER_KEY={_new_key()}\n"
        + "".join(f"{name}={value}\n" for name, value in _added_later().items()),
        encoding="utf-8",
    )
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    created = write_development_env()
    print(f"{'Wrote' if created else 'Kept'} development keys in {ENV_FILE}", file=sys.stderr)

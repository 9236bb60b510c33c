"""Every user-facing string is translatable, and the shell is translated for real in every language."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings

DOORSTEP = Path(__file__).resolve().parents[2]
LOCALE = DOORSTEP / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def _catalog(code):
    with open(LOCALE / code / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_is_translated_and_keeps_its_placeholders(code):
    catalog = _catalog(code)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 100
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        assert all(forms), f"{code}: untranslated {message.id!r}"
        assert "fuzzy" not in message.flags, f"{code}: fuzzy {message.id!r}"
        expected = {p for text in ids for p in PLACEHOLDER.findall(text)}
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) == expected, (message.id, form)


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_matches_the_source(code):
    with open(LOCALE / code / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    source = {_key(m.id): _key(m.string) for m in _catalog(code) if m.id}
    assert compiled == source, "run `make messages` and commit the .mo files"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_the_catalogues_hold_every_string_in_the_code(tmp_path):
    """Extract the strings afresh (as `make messages` does) and compare with what is committed."""
    copy = tmp_path / "doorstep"
    shutil.copytree(DOORSTEP, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "*.mo"))
    env = {**os.environ, "PYTHONPATH": str(DOORSTEP.parent)}
    subprocess.run(
        [sys.executable, "-m", "doorstep", "makemessages", "-l", "fr", "--no-location", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with open(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po", "rb") as handle:
        extracted = {_key(m.id) for m in read_po(handle) if m.id}
    committed = {_key(m.id) for m in _catalog("fr") if m.id}
    assert extracted - committed == set(), "new strings: run `make messages` and translate them"
    assert committed - extracted == set(), "strings no longer used: run `make messages`"

"""A translatable string inside an f-string (``f"{_('Title')} · {x}"``) is missed by `makemessages`
(xgettext does not read into f-strings), so it would stay in English while the catalogues look whole."""

import re
from pathlib import Path

DOORSTEP = Path(__file__).resolve().parents[2]
GETTEXT_IN_FSTRING = re.compile(r"""\bf(["'])[^"'\n]*\{\s*(_|gettext|gettext_lazy|pgettext)\(""")


def test_no_gettext_call_hides_inside_an_f_string():
    found = [
        f"{path.relative_to(DOORSTEP)}:{number}"
        for path in DOORSTEP.rglob("*.py")
        if "tests" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if GETTEXT_IN_FSTRING.search(line)
    ]
    assert found == []

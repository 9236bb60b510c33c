"""How many SMS parts a text costs (3GPP TS 23.038 and 23.040).

A text that the GSM 03.38 alphabet holds is sent in GSM-7: 160 septets in one message, and 153 in
each part of a concatenated one (7 septets go to the user data header). A character of the
extension table (``€ [ ] { } \\ ~ ^ |`` and the form feed) takes two septets (escape + code), and the
pair is never split between parts. Any other character makes the whole text UCS-2: 70 UTF-16 units in
one message, 67 per part, a surrogate pair (an emoji) never split."""

from dataclasses import dataclass

import gsm0338  # noqa: F401 - registers the "gsm03.38" codec

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class Cost:
    encoding: str  # "gsm7" or "ucs2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    parts: int


def _pack(sizes: list[int], single: int, part: int) -> int:
    """Parts needed for characters of these sizes, none split across a part's boundary."""
    total = sum(sizes)
    if total == 0:
        return 1
    if total <= single:
        return 1
    parts, used = 1, 0
    for size in sizes:
        if used + size > part:
            parts, used = parts + 1, 0
        used += size
    return parts


def cost(text: str) -> Cost:
    """The encoding, length and number of parts of ``text``."""
    try:
        sizes = [len(ch.encode("gsm03.38")) for ch in text]
    except UnicodeEncodeError:
        sizes = [len(ch.encode("utf-16-le")) // 2 for ch in text]
        return Cost("ucs2", sum(sizes), _pack(sizes, UCS2_SINGLE, UCS2_PART))
    return Cost("gsm7", sum(sizes), _pack(sizes, GSM7_SINGLE, GSM7_PART))

"""Phone and identity numbers in free text, however they are written.

``carries_phone_or_id(text, regions)`` is True when the text holds a phone number that
``phonenumbers`` recognises as valid for one of ``regions`` (or any number written with its
``+`` country code), with spaces, dashes, dots or brackets as people write them; a national
identity number in a shape ``ID_PATTERNS`` knows for one of those countries; or any run of six
digits or more. Years, dates and amounts ("2019-2020", "12.03.2024", "1,000 pieces") are not
numbers of a person.
"""

import re
from collections.abc import Iterable

import phonenumbers

_DIGITS_RUN = re.compile(r"\d{6,}")

# National identity numbers as they are written, by ISO country code.
ID_PATTERNS: dict[str, re.Pattern] = {
    code: re.compile(pattern)
    for code, pattern in {
        "IN": r"\b\d{4}[\s.-]?\d{4}[\s.-]?\d{4}\b|\b[A-Z]{5}\d{4}[A-Z]\b",  # Aadhaar; PAN
        "PK": r"\b\d{5}[\s-]?\d{7}[\s-]?\d\b",  # CNIC
        "BD": r"\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b|\b\d{13}\b|\b\d{17}\b",  # NID (10, 13 or 17 digits)
        "NP": r"\b\d{2}[\s-]\d{2}[\s-]\d{2}[\s-]\d{5}\b",  # citizenship certificate
        "LK": r"\b\d{9}[VvXx]\b|\b\d{12}\b",  # NIC
        "KE": r"\b\d{2}[\s.-]?\d{3}[\s.-]?\d{3}\b",  # national ID (8 digits)
        "UG": r"\bC[MF][A-Z0-9]{12}\b",  # NIN
        "TZ": r"\b\d{8}[\s-]?\d{5}[\s-]?\d{5}[\s-]?\d{2}\b",  # NIDA
        "GH": r"\bGHA-?\d{9}-?\d\b",  # Ghana Card
        "ZA": r"\b\d{6}[\s-]?\d{4}[\s-]?\d{2}[\s-]?\d\b",  # ID number
        "TH": r"\b\d[\s-]?\d{4}[\s-]?\d{5}[\s-]?\d{2}[\s-]?\d\b",  # ID card (13 digits)
        "PH": r"\b\d{4}[\s-]\d{4}[\s-]\d{4}[\s-]\d{4}\b",  # PhilSys
        "ID": r"\b\d{6}[\s.-]?\d{6}[\s.-]?\d{4}\b",  # NIK (16 digits)
        "VN": r"\b\d{3}[\s.-]?\d{3}[\s.-]?\d{6}\b",  # citizen ID (12 digits)
        "TR": r"\b\d{3}[\s-]?\d{3}[\s-]?\d{3}[\s-]?\d{2}\b",  # TC Kimlik (11 digits)
        "BR": r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b",  # CPF
        "MX": r"\b[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d\b",  # CURP
        "CL": r"\b\d{1,2}\.\d{3}\.\d{3}-[\dkK]\b",  # RUT
    }.items()
}


def carries_phone_or_id(text: str, regions: Iterable[str]) -> bool:
    """True when ``text`` holds a phone number or an identity number (see the module)."""
    if _DIGITS_RUN.search(text):
        return True
    regions = [region.upper() for region in regions if region]
    for region in regions or [None]:
        pattern = ID_PATTERNS.get(region or "")
        if pattern is not None and pattern.search(text):
            return True
        matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
        if matcher.has_next():
            return True
    return False

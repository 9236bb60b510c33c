"""The languages a page can offer: those Doorstep speaks (``settings.LANGUAGES``), by their own names."""

from django.conf import settings
from django.utils import translation


def spoken(codes) -> list[str]:
    """The codes Doorstep has a translation for, in the order given, each once."""
    supported = dict(settings.LANGUAGES)
    return list(dict.fromkeys(code for code in codes if code in supported))


def named(codes) -> list[tuple[str, str]]:
    """(code, the language's name in itself) for a language switcher."""
    return [(code, translation.get_language_info(code)["name_local"]) for code in spoken(codes)]

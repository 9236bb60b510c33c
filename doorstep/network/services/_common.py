"""Small checks shared by the network's services: a language Doorstep has, and the names of an
organization and a network for messages."""

from django.conf import settings
from django.utils.translation import gettext as _

from doorstep.core.errors import ValidationError


def _names(organization, network) -> dict:
    return {"organization": organization.name, "network": network.name}


def _check_language(language: str, field: str = "language") -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError.for_field(field, _("Doorstep has no such language."))
    return language

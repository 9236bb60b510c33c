"""Her phone and ID numbers as blind-index digests (``MemberIdentifier``), for exact lookup without
plaintext, and the refusal of a member whose number another member already has."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from doorstep.core import vault
from doorstep.core.errors import FieldError, ValidationError

from ..models import MemberIdentifier


def _digests(organization_id: int, pii: Mapping) -> list[tuple[str, str]]:
    pairs = [
        (MemberIdentifier.Kind.PHONE, vault.blind_index(organization_id, "phone", p))
        for p in pii.get("phones", [])
    ]
    pairs += [
        (MemberIdentifier.Kind.ID, vault.blind_index(organization_id, "id", f"{i['kind']}:{i['number']}"))
        for i in pii.get("id_numbers", [])
    ]
    return pairs


def _certain_duplicates(
    organization_id: int, digests: list[tuple[str, str]], exclude: int | None
) -> ValidationError | None:
    if not digests:
        return None
    matches = (
        MemberIdentifier.objects.filter(organization_id=organization_id, digest__in=[d for _k, d in digests])
        .exclude(member_id=exclude)
        .select_related("member")
    )
    errors = []
    for match in matches:
        field_name = "phones" if match.kind == MemberIdentifier.Kind.PHONE else "id_numbers"
        errors.append(
            FieldError(
                field_name, _("Member #%(number)d already has this number.") % {"number": match.member.number}
            )
        )
    if errors:
        return ValidationError(
            message=_("This looks like a member who is already registered."), code="duplicate", errors=errors
        )
    return None

"""Her personal data: the fields sealed under her key and the purpose they are sealed for, and every
read of them (by her organization's staff, by herself, her name by a company she agreed may know it),
each audited."""

from doorstep.core import audit, tenancy, vault
from doorstep.core.errors import PermissionDenied
from doorstep.core.roles import STAFF_ROLES

from ..models import Member

PII_PURPOSE = "member.pii"
PII_FIELDS = ("full_name", "other_names", "phones", "id_numbers", "address", "gps", "notes")


def reveal_own_pii(member: Member, *, actor) -> dict:
    """Her own personal data, for herself (audited like any read)."""
    if member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied()
    audit.record(
        "member.pii_read",
        actor=actor,
        organization=member.organization_id,
        object_type="members.member",
        metadata={"member_ids": [member.pk], "reason": "her own profile"},
    )
    return vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)


def reveal_pii(members, *, actor, reason: str) -> dict[int, dict]:
    """Her decrypted personal data, for members the actor may see; one audit event for the batch."""
    members = list(members)
    if not members:
        return {}
    for organization_id in {m.organization_id for m in members}:
        tenancy.require_role(actor, organization_id, STAFF_ROLES)
    revealed = {m.pk: vault.open_sealed(m.subject_key, m.pii, purpose=PII_PURPOSE) for m in members}
    audit.record_reads(
        "member.pii_read",
        actor=actor,
        rows=members,
        object_type="members.member",
        ids_key="member_ids",
        reason=reason,
    )
    return revealed


def names_shown_with_consent(members, *, actor, reason: str) -> dict[int, str]:
    """Only her full name, for someone outside the organization she agreed, in so many words, may
    know it (a company a grievance case is shared with; ``grievances.services.sharing`` checks the share
    and its recorded agreement before calling this). Audited like any read of personal data."""
    members = list(members)
    if not members:
        return {}
    names = {
        m.pk: vault.open_sealed(m.subject_key, m.pii, purpose=PII_PURPOSE).get("full_name", "")
        for m in members
    }
    audit.record_reads(
        "member.name_shared",
        actor=actor,
        rows=members,
        object_type="members.member",
        ids_key="member_ids",
        reason=reason,
    )
    return names

"""Files attached to a case as evidence: checked by their first bytes, sealed (name and content)
under the case's key, opened only by an audited read."""

from django.db import transaction

from doorstep.core import audit, tenancy, uploads, vault
from doorstep.core.roles import STAFF_ROLES

from ..models import Case, CaseAttachment

FILE_PURPOSE = "grievance.attachment"


FILE_NAME_PURPOSE = "grievance.attachment_name"


def add_attachment(case: Case, *, name: str, data: bytes, actor) -> CaseAttachment:
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    safe_name, content_type = uploads.check_evidence(name, data)
    with transaction.atomic():
        attachment = CaseAttachment.objects.create(
            organization_id=case.organization_id,
            case=case,
            sealed_name=vault.seal_bytes(case.subject_key, safe_name.encode(), purpose=FILE_NAME_PURPOSE),
            content_type=content_type,
            size=len(data),
            sealed=vault.seal_bytes(case.subject_key, data, purpose=FILE_PURPOSE),
            uploaded_by=actor,
        )
        audit.record(
            "grievance.attachment",
            actor=actor,
            organization=case.organization_id,
            obj=attachment,
            metadata={"case_id": case.pk},
        )
    return attachment


def open_attachment(attachment: CaseAttachment, *, actor) -> tuple[str, bytes]:
    """(file name, content) of an attachment: an audited read."""
    tenancy.require_role(actor, attachment.organization_id, STAFF_ROLES)
    key = attachment.case.subject_key
    name = vault.open_sealed_bytes(key, bytes(attachment.sealed_name), purpose=FILE_NAME_PURPOSE).decode()
    data = vault.open_sealed_bytes(key, bytes(attachment.sealed), purpose=FILE_PURPOSE)
    audit.record(
        "grievance.attachment_read", actor=actor, organization=attachment.organization_id, obj=attachment
    )
    return name, data

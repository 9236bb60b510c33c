"""Her messages in her export, and gone with her erasure (the words were sealed under her own key,
which her erasure destroys; the rows go too)."""

from doorstep.core import vault

from ..models import InboxMessage, OutboxMessage
from .sending import MESSAGE_PURPOSE


def _text(message) -> str:
    if not message.sealed or message.key_id is None:
        return ""
    try:
        return vault.open_sealed(message.key, bytes(message.sealed), purpose=MESSAGE_PURPOSE).get("text", "")
    except vault.VaultError:
        return ""


def export_messages(member) -> dict[str, list[dict]]:
    received = InboxMessage.objects.filter(
        organization_id=member.organization_id, member=member
    ).select_related("key")
    sent = OutboxMessage.objects.filter(organization_id=member.organization_id, member=member).select_related(
        "key"
    )
    return {
        "sms_received": [
            {"id": m.pk, "received_at": m.received_at.isoformat(), "keyword": m.keyword, "text": _text(m)}
            for m in received.order_by("pk")
        ],
        "sms_sent": [
            {
                "id": m.pk,
                "created_at": m.created_at.isoformat(),
                "purpose": m.purpose,
                "status": m.status,
                "answer": m.answer,
                "text": _text(m),
            }
            for m in sent.order_by("pk")
        ],
    }


def erase_messages(member) -> None:
    OutboxMessage.objects.filter(organization_id=member.organization_id, member=member).delete()
    InboxMessage.objects.filter(organization_id=member.organization_id, member=member).delete()


def move_messages(other, survivor) -> None:
    """Two records of one woman merged: her messages move to the survivor, sealed again under her key
    (the other record's key is destroyed with it)."""
    for model in (InboxMessage, OutboxMessage):
        for message in model.objects.filter(
            organization_id=other.organization_id, member=other
        ).select_related("key"):
            if message.sealed and message.key_id == other.subject_key_id:
                opened = vault.open_sealed(message.key, bytes(message.sealed), purpose=MESSAGE_PURPOSE)
                message.sealed = vault.seal(survivor.subject_key, opened, purpose=MESSAGE_PURPOSE)
            message.member, message.key = (
                survivor,
                survivor.subject_key if message.key_id == other.subject_key_id else message.key,
            )
            message.save(update_fields=["member", "key", "sealed"])

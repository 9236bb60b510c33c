"""Her rights over what governance holds about her (registered with core.rights): her terms of
office, the meetings she attended, the action items she owns, the receipts of her dues."""

from doorstep.members.models import Member

from ..models import ActionItem, Attendance, DuesReceipt, OfficeTerm


def export_sections(member: Member) -> dict[str, list[dict]]:
    terms = OfficeTerm.objects.filter(member=member).select_related("position").order_by("starts_on", "pk")
    attended = Attendance.objects.filter(member=member).select_related("meeting").order_by("meeting__held_on")
    items = ActionItem.objects.filter(owner=member).order_by("deadline", "pk")
    receipts = DuesReceipt.objects.filter(payment__member=member).select_related("payment").order_by("number")
    return {
        "governance.office_terms": [
            {
                "position": t.position.title,
                "starts_on": t.starts_on.isoformat(),
                "ends_on": t.ends_on.isoformat() if t.ends_on else None,
                "mandate": t.mandate,
                "shown_publicly": t.shown_publicly,
            }
            for t in terms
        ],
        "governance.attendance": [
            {"meeting": a.meeting.title, "held_on": a.meeting.held_on.isoformat(), "method": a.method}
            for a in attended
        ],
        "governance.action_items": [
            {
                "text": i.text,
                "deadline": i.deadline.isoformat(),
                "done_on": i.done_on.isoformat() if i.done_on else None,
            }
            for i in items
        ],
        "governance.receipts": [
            {
                "number": r.number,
                "period": r.payment.period,
                "amount": format(r.payment.amount, "f"),
                "currency": r.payment.currency,
            }
            for r in receipts
        ],
    }


def erase_rows(member: Member) -> None:
    """Her terms, her attendance and the action items she owns go; the meetings stay (their frozen
    minutes count those present and name action items' owners by member number only)."""
    OfficeTerm.objects.filter(member=member).delete()
    Attendance.objects.filter(member=member).delete()
    ActionItem.objects.filter(owner=member).delete()
    DuesReceipt.objects.filter(payment__member=member).delete()


def move_rows(source: Member, target: Member) -> None:
    """Two records of one woman merged: her terms, attendance and action items follow the survivor."""
    OfficeTerm.objects.filter(member=source).update(member=target)
    ActionItem.objects.filter(owner=source).update(owner=target)
    both = set(Attendance.objects.filter(member=target).values_list("meeting_id", flat=True))
    Attendance.objects.filter(member=source, meeting_id__in=both).delete()
    Attendance.objects.filter(member=source).update(member=target)

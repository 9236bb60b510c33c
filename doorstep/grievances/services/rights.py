"""A member's rights over the cases she is part of (registered with core.rights): their export, their
erasure (her own cases with their key; she leaves collective ones), and moving them on a merge."""

from doorstep.core import vault
from doorstep.members.models import Member

from ..models import Case, CaseKind
from .cases import CASE_PURPOSE


def export_sections(member: Member) -> dict[str, list[dict]]:
    """The cases she is part of, with their summaries (registered with core.rights)."""
    rows = []
    for case in Case.objects.filter(members=member).select_related("subject_key").order_by("opened_on", "pk"):
        sealed = vault.open_sealed(case.subject_key, bytes(case.sealed), purpose=CASE_PURPOSE)
        rows.append(
            {
                "case": case.number,
                "kind": case.kind,
                "category": case.category,
                "status": case.status,
                "opened_on": case.opened_on.isoformat(),
                "finished_on": case.finished_on.isoformat() if case.finished_on else None,
                "summary": sealed.get("summary", ""),
                "narrative": sealed.get("narrative", "") if case.kind == CaseKind.INDIVIDUAL else "",
            }
        )
    return {"grievances": rows}


def erase_rows(member: Member) -> None:
    """Her own cases go with their key (so even a backup cannot open them); she leaves collective ones."""
    for case in Case.objects.filter(members=member, kind=CaseKind.INDIVIDUAL).select_related("subject_key"):
        key = case.subject_key
        case.delete()
        vault.shred(key)
    for case in Case.objects.filter(members=member):
        case.members.remove(member)


def move_cases(source: Member, target: Member) -> None:
    for case in Case.objects.filter(members=source):
        case.members.remove(source)
        case.members.add(target)

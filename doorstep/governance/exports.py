"""Printable files: the minutes of a meeting as frozen in a version (PDF, through core.pdf)."""

from django.utils.translation import gettext as _

from doorstep.core.pdf import Document

from .models import MeetingKind, MinutesVersion


def minutes_pdf(version: MinutesVersion, organization_name: str) -> bytes:
    content = version.content
    status = (
        _("Approved at the meeting of %(day)s.") % {"day": version.approved_at_meeting.held_on.isoformat()}
        if version.approved_at_meeting
        else _("Not approved yet.")
    )
    doc = Document(
        f"{content['title']} · {organization_name}",
        footer=_("Minutes, version %(n)s · %(status)s") % {"n": version.number, "status": status},
    )
    doc.paragraph(
        f"{MeetingKind(content['kind']).label} · {content['held_on']} · {content['place']}\n\n"
        + _("Present: %(present)s of %(invited)s members invited.")
        % {"present": content["present"], "invited": content["invited"]}
    )
    quorum = content["quorum"]
    if quorum["applies"]:
        doc.paragraph(
            (
                _("Quorum reached: %(counted)s present, %(required)s needed.")
                if quorum["reached"]
                else _("Quorum not reached: %(counted)s present, %(required)s needed.")
            )
            % quorum
        )
    if content["agenda"]:
        doc.heading(_("Agenda")).paragraph(content["agenda"])
    doc.heading(_("Minutes")).paragraph(content["minutes"])
    if content["resolutions"]:
        doc.heading(_("Resolutions")).table(
            [_("Resolution"), _("For"), _("Against"), _("Abstaining"), _("Result")],
            [
                [
                    r["text"],
                    r["for"],
                    r["against"],
                    r["abstaining"],
                    _("passed") if r["passed"] else _("not passed"),
                ]
                for r in content["resolutions"]
            ],
        )
    if content["action_items"]:
        doc.heading(_("Action items")).table(
            [_("What"), _("Owner (member number)"), _("Deadline")],
            [[a["text"], a["owner_number"], a["deadline"]] for a in content["action_items"]],
        )
    doc.paragraph(status, small=True)
    return doc.pdf()

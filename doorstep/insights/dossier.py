"""A company's due-diligence dossier: what the organizations that share with it for due diligence
know of its chain, set out by the steps of the OECD garment and footwear guidance. Figures come
through the aggregates door (``insights``: agreements, consent, its own chain, suppression); the
words are the organizations' own (``DossierNarrative``); the commitments are the company's, with
where the organizations say they stand. The same dossier is a page, a PDF and a CSV."""

import io
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.core import cells
from doorstep.core.pdf import Document
from doorstep.supplychains import queries
from doorstep.supplychains.models import Commitment, DiligenceStep

from . import queries as insights
from . import services as insights_services

# (key, dataset, dimension, title)
TABLES = (
    ("supplier", "work", "supplier", gettext_lazy("By supplier")),
    (
        "party",
        "work",
        "party",
        gettext_lazy("By work giver (the intermediary or contractor who gave the work)"),
    ),
    ("sector", "work", "sector", gettext_lazy("By sector")),
    ("grievances", "grievances", "problem", gettext_lazy("Grievances taken up, by problem")),
)


@dataclass
class Dossier:
    company: object
    start: date | None
    end: date | None
    made_on: date
    tables: list[tuple[str, insights.Figures]]
    narratives: dict[str, list] = field(default_factory=dict)
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def organizations(self) -> list:
        return self.tables[0][1].organizations if self.tables else []

    @property
    def k(self) -> int:
        return self.tables[0][1].k

    @property
    def steps(self) -> list[tuple[str, str, list, list]]:
        """(code, label, narratives, commitments) for each step, in the guidance's order."""
        return [
            (
                code,
                label,
                self.narratives.get(code, []),
                [c for c in self.commitments if c.step == code],
            )
            for code, label in DiligenceStep.choices
        ]

    def overdue(self) -> list[Commitment]:
        return [c for c in self.commitments if c.is_overdue(self.made_on)]


def build(
    company, *, actor, period: str | None = None, start=None, end=None, channel: str = "dossier"
) -> Dossier:
    """The dossier for a company the actor acts for (``organizations.queries.get_recipient`` checked),
    for a calendar month, quarter or year (or all time); ``ValidationError`` for another period."""
    asks = [
        insights.ask(company, dataset=dataset, group_by=[dimension], period=period, start=start, end=end)
        for _key, dataset, dimension, _title in TABLES
    ]
    start, end = asks[0].start, asks[0].end
    tables = []
    for ask, (_key, _dataset, _dimension, title) in zip(asks, TABLES, strict=True):
        tables.append((str(title), insights_services.release(ask, actor=actor, channel=channel)))
    dossier = Dossier(company, start, end, timezone.localdate(), tables)
    shared = queries.shared_with_company(company, [o.pk for o in dossier.organizations])
    dossier.narratives, dossier.commitments = shared.narratives, shared.commitments
    return dossier


def _rows(result: insights.Figures) -> tuple[list[str], list[list], set[int]]:
    lines = list(insights.csv_lines(result))
    header, body = lines[0], []
    for line in lines[1:]:
        if not line:
            break
        body.append(line)
    totals = {i for i, row in enumerate(result.rows) if insights.disclosure.TOTAL in row.key}
    return header, body, totals


def _commitment_line(c: Commitment, today: date) -> list[str]:
    return [
        c.organization.name,
        c.get_step_display(),
        c.action,
        c.owner,
        c.deadline.isoformat(),
        str(c.get_status_display()) + (" (" + _("overdue") + ")" if c.is_overdue(today) else ""),
        c.note,
    ]


def commitment_header() -> list[str]:
    return [
        _("Organization"),
        _("Step"),
        _("Action"),
        _("Who answers for it"),
        _("Deadline"),
        _("Status"),
        _("The organization's note"),
    ]


def as_csv(dossier: Dossier) -> str:
    out = io.StringIO()
    writer = cells.writer(out)
    writer.writerow([_("Due-diligence dossier"), dossier.company.name, dossier.made_on.isoformat()])
    writer.writerow([_("Period"), _period(dossier)])
    writer.writerow([_("k (smallest group shown)"), dossier.k])
    writer.writerow([_("Organizations"), "; ".join(o.name for o in dossier.organizations)])
    for title, result in dossier.tables:
        writer.writerow([])
        writer.writerow([title])
        if result.reason:
            writer.writerow([result.reason])
            continue
        header, body, _totals = _rows(result)
        writer.writerows([header, *body])
    writer.writerow([])
    writer.writerow([_("Commitments")])
    writer.writerow(commitment_header())
    writer.writerows(_commitment_line(c, dossier.made_on) for c in dossier.commitments)
    writer.writerow([])
    writer.writerow([_("Method"), str(insights.METHOD)])
    return out.getvalue()


def _period(dossier: Dossier) -> str:
    if not dossier.start and not dossier.end:
        return _("All work orders on record")
    start = dossier.start.isoformat() if dossier.start else "…"
    end = dossier.end.isoformat() if dossier.end else "…"
    return f"{start} – {end}"


def as_pdf(dossier: Dossier, *, language: str = "en") -> bytes:
    doc = Document(
        _("Due-diligence dossier: %(company)s") % {"company": dossier.company.name},
        footer=f"Doorstep · {dossier.company.name} · {dossier.made_on.isoformat()}",
        language=language,
    )
    doc.paragraph(
        _(
            "Made on %(day)s from what %(organizations)s share with %(company)s for its due diligence. "
            "Period: %(period)s. Groups of fewer than %(k)s workers are withheld."
        )
        % {
            "day": dossier.made_on.isoformat(),
            "organizations": ", ".join(o.name for o in dossier.organizations) or "—",
            "company": dossier.company.name,
            "period": _period(dossier),
            "k": dossier.k,
        }
    )
    for number, (code, label, narratives, commitments) in enumerate(dossier.steps, start=1):
        doc.heading(f"{number}. {label}")
        for narrative in narratives:
            doc.heading(narrative.organization.name, level=2).paragraph(narrative.text)
        if code == DiligenceStep.IDENTIFY:
            for title, result in dossier.tables:
                doc.heading(title, level=2)
                if result.reason:
                    doc.paragraph(result.reason)
                    continue
                header, body, totals = _rows(result)
                doc.table(header, body, emphasis=totals)
        if code == DiligenceStep.TRACK and dossier.commitments:
            doc.table(
                commitment_header(), [_commitment_line(c, dossier.made_on) for c in dossier.commitments]
            )
        elif commitments:
            doc.table(commitment_header(), [_commitment_line(c, dossier.made_on) for c in commitments])
        if not narratives and not commitments and code != DiligenceStep.IDENTIFY:
            doc.paragraph(_("Nothing recorded for this step yet."), small=True)
    doc.heading(_("Method"))
    doc.paragraph(str(insights.METHOD), small=True)
    return doc.pdf()

"""The annual report to members: its words (edited by staff) and its versions, each frozen with the
year's figures as they stood (``queries.annual_figures``)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import ValidationError
from doorstep.core.roles import STAFF_ROLES

from .. import queries
from ..models import AnnualReport, AnnualReportVersion


def start_report(organization, *, year: int, actor) -> AnnualReport:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year:
        raise ValidationError.for_field("year", _("Give a year from 2000 to this year."))
    with transaction.atomic():
        if AnnualReport.objects.filter(organization_id=organization.pk, year=year).exists():
            raise ValidationError.for_field(
                "year", _("There is already a report for this year."), code="duplicate"
            )
        report = AnnualReport.objects.create(organization_id=organization.pk, year=year, updated_by=actor)
        audit.record("governance.annual_report_started", actor=actor, organization=organization, obj=report)
    return report


def save_text(report: AnnualReport, *, text: str, actor) -> AnnualReport:
    tenancy.require_role(actor, report.organization_id, STAFF_ROLES)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        report.text = str(text or "").strip()[:100000]
        report.updated_by = actor
        report.save(update_fields=["text", "updated_by", "updated_at"])
        audit.record(
            "governance.annual_report_saved", actor=actor, organization=report.organization_id, obj=report
        )
    return report


def freeze(report: AnnualReport, *, actor) -> AnnualReportVersion:
    """A new numbered version with the words and the year's figures as they are now."""
    tenancy.require_role(actor, report.organization_id, STAFF_ROLES)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        content = {
            "text": report.text,
            "figures": queries.annual_figures(actor, report.organization_id, report.year),
        }
        last = queries.annual_report_versions(report).order_by("-number").first()
        if last is not None and last.content == content:
            raise ValidationError.for_field(
                "text", _("Nothing changed since version %(n)s.") % {"n": last.number}, code="unchanged"
            )
        version = AnnualReportVersion.objects.create(
            organization_id=report.organization_id,
            report=report,
            number=(last.number if last else 0) + 1,
            content=content,
            frozen_by=actor,
        )
        audit.record(
            "governance.annual_report_frozen",
            actor=actor,
            organization=report.organization_id,
            obj=version,
            metadata={"number": version.number},
        )
    return version

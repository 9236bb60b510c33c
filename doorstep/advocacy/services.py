"""Writes of advocacy: the legal tracker (network people keep it; every change keeps the value before
it, with who, when, the source and why), campaigns (demands, targets, actions), and reports to the
ILO supervisory bodies (sections, composed from the tracker's facts and from figures released through
the aggregates door, saved as versions)."""

import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from doorstep.core import audit, identifiers, ordering, tenancy
from doorstep.core.errors import FieldError, PermissionDenied, ValidationError
from doorstep.core.html import clean_html, plain_text
from doorstep.core.inputs import web_link
from doorstep.core.roles import Role
from doorstep.insights import queries as insights
from doorstep.insights import services as insights_services
from doorstep.organizations.models import Organization

from . import queries
from .models import (
    Campaign,
    CampaignAction,
    Convention,
    Coverage,
    Demand,
    Fact,
    LegalFact,
    LegalFactChange,
    Report,
    ReportSection,
    ReportVersion,
    Target,
)

EDITOR_ROLES = frozenset({Role.ORGANIZER, Role.ORG_ADMIN, Role.NETWORK_ANALYST})
_AS_OF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_OR_YEAR = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


def may_edit(user) -> bool:
    """People of a network (its staff or analysts) keep the tracker, and the platform admin."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True

    ids = tenancy.organization_ids(user, EDITOR_ROLES)
    return Organization.objects.filter(
        pk__in=ids, kind__in=Organization.NETWORK_KINDS, is_active=True
    ).exists()


def check_country(code: str) -> str:
    code = (code or "").upper()
    if code not in dict(countries):
        raise ValidationError.for_field("country", _("Unknown country code: %(code)s.") % {"code": code[:10]})
    return code


def _date_or_year(text, field: str, errors: list) -> str:
    text = (text or "").strip()
    if not _DATE_OR_YEAR.match(text):
        errors.append(FieldError(field, _("Give a year (2002) or a date (2002-07-24).")))
        return text
    if len(text) == 10:
        try:
            date.fromisoformat(text)
        except ValueError:
            errors.append(FieldError(field, _("This date does not exist.")))
    return text


def clean_value(fact: str, data: dict) -> dict:
    """The fact's value in its shape, or ``ValidationError`` naming each wrong field."""
    errors: list[FieldError] = []
    if fact == Fact.C177_RATIFIED:
        ratified = bool(data.get("ratified", True))
        value = {"ratified": ratified, "on": _date_or_year(data.get("on"), "on", errors) if ratified else ""}
    elif fact == Fact.C177_IN_FORCE:
        value = {"on": _date_or_year(data.get("on"), "on", errors)}
    elif fact == Fact.HOMEWORK_LAW:
        name = (data.get("name") or "").strip()
        if not name:
            errors.append(FieldError("name", _("Give the law's or policy's name.")))
        year = data.get("year")
        if year not in (None, ""):
            try:
                year = int(year)
            except (TypeError, ValueError):
                year = -1
            if not 1800 <= year <= 2100:
                errors.append(FieldError("year", _("Give the year it was passed, e.g. 2008.")))
        value = {
            "name": name[:300],
            "year": year if year not in (None, "") else None,
            "covers": (data.get("covers") or "").strip()[:1000],
            "link": web_link(data.get("link"), "link", errors),
        }
    elif fact in (Fact.MINIMUM_WAGE, Fact.SOCIAL_SECURITY, Fact.SAFETY):
        coverage = data.get("coverage") or ""
        if coverage not in Coverage.values:
            errors.append(
                FieldError("coverage", _("Choose covered, partly covered, not covered or not known."))
            )
        value = {"coverage": coverage, "note": (data.get("note") or "").strip()[:1000]}
    elif fact == Fact.ILO_COMMENTS:
        text = (data.get("text") or "").strip()
        if not text:
            errors.append(FieldError("text", _("Summarize what the ILO said.")))
        value = {"text": text[:4000], "link": web_link(data.get("link"), "link", errors)}
    else:
        raise ValidationError.for_field("fact", _("Unknown fact."))
    if errors:
        raise ValidationError(message=_("The fact could not be saved."), errors=errors)
    return value


def save_fact(country: str, fact: str, *, data: dict, actor) -> LegalFact:
    """Set one fact of a country's law, with its source; the change is kept in its history."""
    if not may_edit(actor):
        raise PermissionDenied()
    country = check_country(country)
    if fact not in Fact.values:
        raise ValidationError.for_field("fact", _("Unknown fact."))
    value = clean_value(fact, data)
    errors = []
    source = (data.get("source") or "").strip()
    if not source:
        errors.append(FieldError("source", _("Every fact needs its source: a law, an ILO page, a report.")))
    as_of = (data.get("as_of") or "").strip()
    if as_of and not _AS_OF.match(as_of):
        errors.append(FieldError("as_of", _("Give the source's date as 2024, 2024-05 or 2024-05-31.")))
    if errors:
        raise ValidationError(message=_("The fact could not be saved."), errors=errors)
    with transaction.atomic():
        found, _created = LegalFact.objects.select_for_update().get_or_create(
            country=country, fact=fact, defaults={"value": value, "source": source[:1000], "as_of": as_of}
        )
        found.value, found.source, found.as_of, found.updated_by = value, source[:1000], as_of, actor
        found.save()
        LegalFactChange.objects.create(
            fact=found,
            value=value,
            source=source[:1000],
            as_of=as_of,
            note=(data.get("note_why") or "").strip()[:500],
            changed_by=actor,
        )
        audit.record("legal_fact.saved", actor=actor, obj=found, metadata={"country": country, "fact": fact})
    return found


# Campaigns ------------------------------------------------------------------------------------------

CAMPAIGN_ROLES = frozenset({Role.ORGANIZER, Role.ORG_ADMIN})


def _campaign_fields(data: dict, organization) -> tuple[dict, list]:
    errors: list[FieldError] = []
    fields = {}
    if "title" in data:
        fields["title"] = (data["title"] or "").strip()[:200]
        if not fields["title"]:
            errors.append(FieldError("title", _("A campaign needs a title.")))
    if "summary" in data:
        fields["summary"] = clean_html(data["summary"] or "")
    if "status" in data:
        if data["status"] not in Campaign.Status.values:
            errors.append(FieldError("status", _("Unknown status.")))
        fields["status"] = data["status"]
    for name in ("starts_on", "ends_on"):
        if name in data:
            fields[name] = data[name]
    if "is_public" in data:
        if not isinstance(data["is_public"], bool):
            errors.append(FieldError("is_public", _("Say true or false.")))
        fields["is_public"] = bool(data["is_public"])
    participants = None
    if "participants" in data:
        ids = {getattr(o, "pk", o) for o in data["participants"] or []} - {organization.pk}
        participants = list(
            Organization.objects.filter(pk__in=ids, is_active=True).exclude(kind=Organization.Kind.COMPANY)
        )
        if len(participants) != len(ids):
            errors.append(FieldError("participants", _("Choose active organizations (not a company).")))
    return fields, participants, errors


def save_campaign(organization, *, data: dict, campaign=None, actor):
    """Create or change a campaign the organization leads (only the fields given)."""
    tenancy.require_role(actor, organization, CAMPAIGN_ROLES)
    if campaign is None:
        data = {"title": "", **data}
    fields, participants, errors = _campaign_fields(data, organization)
    starts = fields.get("starts_on", getattr(campaign, "starts_on", None))
    ends = fields.get("ends_on", getattr(campaign, "ends_on", None))
    if starts and ends and ends < starts:
        errors.append(FieldError("ends_on", _("A campaign cannot end before it starts.")))
    if errors:
        raise ValidationError(message=_("The campaign could not be saved."), errors=errors)
    with transaction.atomic():
        campaign = campaign or Campaign(organization=organization, created_by=actor)
        for name, value in fields.items():
            setattr(campaign, name, value)
        campaign.save()
        if participants is not None:
            campaign.participants.set(participants)
        audit.record(
            "campaign.saved",
            actor=actor,
            organization=organization,
            obj=campaign,
            metadata={"fields": sorted(fields)},
        )
    return campaign


def _check_lead(campaign, actor) -> None:
    tenancy.require_role(actor, campaign.organization_id, CAMPAIGN_ROLES)


def add_demand(campaign, *, text: str, actor):
    _check_lead(campaign, actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError.for_field("text", _("Write the demand."))
    with transaction.atomic():
        last = campaign.demands.order_by("-position").values_list("position", flat=True).first() or 0
        demand = Demand.objects.create(
            organization_id=campaign.organization_id, campaign=campaign, position=last + 1, text=text[:500]
        )
        audit.record("campaign.demand_added", actor=actor, organization=campaign.organization_id, obj=demand)
    return demand


def set_demand_status(demand, *, status: str, actor):
    _check_lead(demand.campaign, actor)
    if status not in Demand.Status.values:
        raise ValidationError.for_field("status", _("Unknown status."))
    with transaction.atomic():
        Demand.objects.filter(pk=demand.pk).update(status=status)
        audit.record(
            "campaign.demand_status",
            actor=actor,
            organization=demand.organization_id,
            obj=demand,
            metadata={"status": status},
        )
    demand.status = status
    return demand


@dataclass(frozen=True)
class TargetInput:
    """A campaign's target, as the page's form and the API give it."""

    kind: str
    name: str
    country: str = ""


def add_target(campaign, *, data: TargetInput, actor):
    _check_lead(campaign, actor)
    errors = []
    name = (data.name or "").strip()
    if not name:
        errors.append(FieldError("name", _("Name the target: a ministry, a company, an employers' body.")))
    if data.kind not in Target.Kind.values:
        errors.append(FieldError("kind", _("Unknown kind of target.")))
    country = ""
    if data.country:
        try:
            country = check_country(data.country)
        except ValidationError as error:
            errors.extend(error.errors)
    if errors:
        raise ValidationError(message=_("The target could not be saved."), errors=errors)
    with transaction.atomic():
        target = Target.objects.create(
            organization_id=campaign.organization_id,
            campaign=campaign,
            kind=data.kind,
            name=name[:200],
            country=country,
        )
        audit.record("campaign.target_added", actor=actor, organization=campaign.organization_id, obj=target)
    return target


@dataclass(frozen=True)
class ActionInput:
    """A step of a campaign, as the page's form and the API give it (``target``: one of the
    campaign's targets, or none)."""

    on: date | None
    kind: str
    description: str
    outcome: str = ""
    target: Target | None = None


def add_action(campaign, *, data: ActionInput, actor):
    _check_lead(campaign, actor)
    errors = []
    if not data.on:
        errors.append(FieldError("on", _("Give the date of the action.")))
    if data.kind not in CampaignAction.Kind.values:
        errors.append(FieldError("kind", _("Unknown kind of action.")))
    description = (data.description or "").strip()
    if not description:
        errors.append(FieldError("description", _("Say what was done.")))
    target = data.target
    if target is not None and getattr(target, "campaign_id", None) != campaign.pk:
        errors.append(FieldError("target", _("Choose one of this campaign's targets.")))
    if errors:
        raise ValidationError(message=_("The action could not be saved."), errors=errors)
    with transaction.atomic():
        action = CampaignAction.objects.create(
            organization_id=campaign.organization_id,
            campaign=campaign,
            on=data.on,
            kind=data.kind,
            description=description[:1000],
            outcome=(data.outcome or "").strip()[:1000],
            target=target,
        )
        audit.record("campaign.action_added", actor=actor, organization=campaign.organization_id, obj=action)
    return action


# Reports to the ILO supervisory bodies -----------------------------------------------------------

REPORT_ROLES = CAMPAIGN_ROLES


def save_report(organization, *, data: dict, report=None, actor):
    tenancy.require_role(actor, organization, REPORT_ROLES)
    errors: list[FieldError] = []
    fields = {}
    if "title" in data or report is None:
        fields["title"] = (data.get("title") or "").strip()[:200]
        if not fields["title"]:
            errors.append(FieldError("title", _("A report needs a title.")))
    if "convention" in data:
        if data["convention"] not in Convention.values:
            errors.append(FieldError("convention", _("Unknown convention.")))
        fields["convention"] = data["convention"]
    if "country" in data or report is None:
        try:
            fields["country"] = check_country(data.get("country") or "")
        except ValidationError as error:
            errors.extend(error.errors)
    if data.get("addressed_to"):
        fields["addressed_to"] = data["addressed_to"].strip()[:300]
    if errors:
        raise ValidationError(message=_("The report could not be saved."), errors=errors)
    with transaction.atomic():
        report = report or Report(organization=organization, created_by=actor)
        for name, value in fields.items():
            setattr(report, name, value)
        report.save()
        audit.record(
            "report.saved",
            actor=actor,
            organization=organization,
            obj=report,
            metadata={"fields": sorted(fields)},
        )
    return report


def _evidence_ask(report, params: dict):
    """The checked request for a report's figures: a network's come through its sharing agreements;
    an organization's own are of its members who consented to research. Both suppressed below k."""
    return insights.ask(
        report.organization,
        dataset=params.get("dataset") or "",
        group_by=params.get("group_by") or "",
        start=params.get("from") or None,
        end=params.get("to") or None,
        own=not report.organization.is_network,
    )


def _section_fields_for(report, data: dict) -> dict:
    errors: list[FieldError] = []
    kind = data.get("kind") or ReportSection.Kind.TEXT
    if kind not in ReportSection.Kind.values:
        raise ValidationError.for_field("kind", _("Unknown kind of section."))
    fields = {
        "kind": kind,
        "heading": (data.get("heading") or "").strip()[:200],
        "params": {},
        "speaker": "",
        "body": "",
    }
    if not fields["heading"]:
        errors.append(FieldError("heading", _("A section needs a heading.")))
    if kind in (ReportSection.Kind.TEXT, ReportSection.Kind.DEMANDS):
        fields["body"] = clean_html(data.get("body") or "")
        if not fields["body"]:
            errors.append(
                FieldError(
                    "body", _("A section needs some text (what is left once unsafe parts are removed).")
                )
            )
    elif kind == ReportSection.Kind.TESTIMONY:
        fields["body"] = (data.get("body") or "").strip()[:5000]
        fields["speaker"] = (data.get("speaker") or "").strip()[:200]
        if not fields["body"]:
            errors.append(FieldError("body", _("Write the quote.")))
        if not fields["speaker"]:
            errors.append(
                FieldError("speaker", _("Say in general words who said it, e.g. “a beadworker in Nairobi”."))
            )
        regions = (str(report.country), str(report.organization.country))
        if identifiers.carries_phone_or_id(f"{fields['body']}\n{fields['speaker']}", regions):
            errors.append(
                FieldError("body", _("A testimony must not carry a phone or ID number: anonymise it first."))
            )
    elif kind == ReportSection.Kind.EVIDENCE:
        params = {
            "dataset": data.get("dataset") or "",
            "group_by": data.get("group_by") or "",
            "from": str(data.get("from") or ""),
            "to": str(data.get("to") or ""),
        }
        try:
            _evidence_ask(report, params)
        except ValidationError as error:
            errors.extend(error.errors)
        fields["params"] = params
    if errors:
        raise ValidationError(message=_("The section could not be saved."), errors=errors)
    return fields


def add_report_section(report, *, data: dict, actor):
    tenancy.require_role(actor, report.organization_id, REPORT_ROLES)
    fields = _section_fields_for(report, data)
    with transaction.atomic():
        last = report.sections.order_by("-position").values_list("position", flat=True).first() or 0
        section = ReportSection.objects.create(
            organization_id=report.organization_id, report=report, position=last + 1, **fields
        )
        audit.record("report.section_added", actor=actor, organization=report.organization_id, obj=section)
    return section


def delete_report_section(section, *, actor) -> None:
    tenancy.require_role(actor, section.organization_id, REPORT_ROLES)
    with transaction.atomic():
        audit.record("report.section_deleted", actor=actor, organization=section.organization_id, obj=section)
        section.delete()


def move_report_section(section, *, up: bool, actor) -> None:
    tenancy.require_role(actor, section.organization_id, REPORT_ROLES)
    ordering.move(section, section.report.sections.all(), up=up)


def _legal_facts(country: str) -> list[dict]:
    profile = queries.profile(country)
    facts = []
    for key, label in Fact.choices:
        found = profile.facts.get(key)
        if found is None:
            continue
        text = render_to_string(
            "advocacy/fact_value.html", {"key": key, "fact": found, "coverage_labels": dict(Coverage.choices)}
        )
        facts.append(
            {"label": str(label), "text": plain_text(text), "source": found.source, "as_of": found.as_of}
        )
    return facts


def compose(report, *, actor) -> dict:
    """The report as it reads now: every section resolved, figures released (audited) through the
    aggregates door with small groups withheld."""
    tenancy.require_role(actor, report.organization_id, REPORT_ROLES)
    sections = []
    for section in report.sections.all():
        part = {"kind": section.kind, "heading": section.heading}
        if section.kind == ReportSection.Kind.LEGAL:
            part["facts"] = _legal_facts(str(report.country))
        elif section.kind == ReportSection.Kind.EVIDENCE:
            checked = _evidence_ask(report, section.params)
            result = insights_services.release(checked, actor=actor, channel="ilo_report")
            lines = [[str(cell) for cell in line] for line in insights.csv_lines(result)]
            blank = lines.index([]) if [] in lines else len(lines)
            part["table"] = {"header": lines[0], "rows": lines[1:blank]}
            part["notes"] = [": ".join(line) for line in lines[blank + 1 :]]
            part["reason"] = str(result.reason or "")
        elif section.kind == ReportSection.Kind.TESTIMONY:
            part["quote"], part["speaker"] = section.body, section.speaker
        else:
            part["html"], part["text"] = section.body, plain_text(section.body)
        sections.append(part)
    return {
        "title": report.title,
        "organization": report.organization.name,
        "convention": report.convention,
        "convention_label": str(report.get_convention_display()),
        "country": str(report.country),
        "country_name": str(countries.name(str(report.country))),
        "addressed_to": report.addressed_to,
        "composed_on": timezone.localdate().isoformat(),
        "sections": sections,
    }


def save_version(report, *, note: str = "", actor):
    """Freeze the report as it reads now as its next version."""
    content = compose(report, actor=actor)
    with transaction.atomic():
        number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = ReportVersion.objects.create(
            organization_id=report.organization_id,
            report=report,
            number=number,
            content=content,
            note=(note or "").strip()[:300],
            created_by=actor,
        )
        audit.record("report.version_saved", actor=actor, organization=report.organization_id, obj=version)
    return version


def mark_submitted(report, *, version, on, actor):
    """Record that this version was sent to the ILO on this date."""
    tenancy.require_role(actor, report.organization_id, REPORT_ROLES)
    if version.report_id != report.pk:
        raise ValidationError.for_field("version", _("Choose one of this report's versions."))
    if on is None:
        raise ValidationError.for_field("submitted_on", _("Give the date it was sent."))
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.SUBMITTED, submitted_on=on, submitted_version=version.number
        )
        audit.record(
            "report.submitted",
            actor=actor,
            organization=report.organization_id,
            obj=report,
            metadata={"version": version.number},
        )
    report.refresh_from_db()
    return report

"""API of advocacy: the legal tracker (public reads, no login, cached; a token to change a fact),
campaigns (public reads; a token to run one), and reports to the ILO with their versions."""

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from doorstep.core.errors import PermissionDenied
from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut, codes
from doorstep.insights.queries import DATASETS
from doorstep.insights.schemas import GroupBy
from doorstep.organizations.queries import organization_for_staff

from . import queries, services
from .models import Campaign, CampaignAction, Convention, Demand, Fact, Report, ReportSection, Target

router = Router(tags=["laws"])
public = Router(tags=["public"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class FactOut(Schema):
    fact: codes(Fact)
    value: dict = Field(
        description="c177_ratified: {ratified, on}; c177_in_force: {on}; homework_law: {name, year, covers, "
        "link}; minimum_wage, social_security, safety: {coverage, note}; ilo_comments: {text, link}"
    )
    source: str
    as_of: str
    updated_at: datetime


class CountryOut(Schema):
    country: str
    name: str
    c177_ratified: bool
    facts: list[FactOut]


def _country_out(profile: queries.Profile) -> dict:
    return {
        "country": profile.country,
        "name": profile.name,
        "c177_ratified": profile.ratified,
        "facts": [
            {
                "fact": f.fact,
                "value": f.value,
                "source": f.source,
                "as_of": f.as_of,
                "updated_at": f.updated_at,
            }
            for f in profile.facts.values()
        ],
    }


@public.get("/public/laws", auth=None, response={200: list[CountryOut]})
def world(request, response: HttpResponse, ratified: bool | None = None):
    """Every country with a recorded fact, by name (``ratified`` keeps those that have, or have not,
    ratified Convention 177)."""
    response["Cache-Control"] = "public, max-age=300"
    return [_country_out(p) for p in queries.world({"ratified": ratified})]


@public.get("/public/laws/{country}", auth=None, response={200: CountryOut, 404: ErrorOut})
def country(request, response: HttpResponse, country: str):
    """One country's facts (an empty list for a country with none yet); 404 for an unknown code."""
    response["Cache-Control"] = "public, max-age=300"
    return _country_out(queries.profile(country))


class FactIn(Schema):
    value: dict = Field(description="The fact's fields, as in FactOut.value")
    source: str = Field(max_length=1000)
    as_of: str = ""
    note_why: str = Field("", max_length=500)


@router.put("/laws/{country}/{fact}", response={200: CountryOut, **ERRORS})
def put_fact(request, country: str, fact: codes(Fact), payload: FactIn):
    """Set one fact (people of a network); the earlier version stays in the history."""
    data = {**payload.value, "source": payload.source, "as_of": payload.as_of, "note_why": payload.note_why}
    services.save_fact(country, fact, data=data, actor=request.auth)
    return _country_out(queries.profile(country))


# Campaigns ---------------------------------------------------------------------------------------


class DemandOut(Schema):
    id: int
    text: str
    status: codes(Demand.Status)


class TargetOut(Schema):
    id: int
    kind: codes(Target.Kind)
    name: str
    country: str


class CampaignActionOut(Schema):
    id: int
    on: date
    kind: codes(CampaignAction.Kind)
    description: str
    outcome: str
    target_id: int | None


class CampaignOut(Schema):
    id: int
    organization: str = Field(description="The leading organization's slug")
    title: str
    summary: str = Field(description="Sanitized HTML")
    status: codes(Campaign.Status)
    starts_on: date | None
    ends_on: date | None
    is_public: bool
    participants: list[str]
    demands: list[DemandOut]
    targets: list[TargetOut]
    actions: list[CampaignActionOut]


class CampaignPage(Schema):
    items: list[CampaignOut]
    next: str | None = None


def _campaign_out(campaign) -> dict:
    return {
        "id": campaign.pk,
        "organization": campaign.organization.slug,
        "title": campaign.title,
        "summary": campaign.summary,
        "status": campaign.status,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "is_public": campaign.is_public,
        "participants": [o.slug for o in campaign.participants.all()],
        "demands": [{"id": d.pk, "text": d.text, "status": d.status} for d in campaign.demands.all()],
        "targets": [
            {"id": t.pk, "kind": t.kind, "name": t.name, "country": str(t.country or "")}
            for t in campaign.targets.all()
        ],
        "actions": [
            {
                "id": a.pk,
                "on": a.on,
                "kind": a.kind,
                "description": a.description,
                "outcome": a.outcome,
                "target_id": a.target_id,
            }
            for a in campaign.actions.all()
        ],
    }


class CampaignFilters(Schema):
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


@public.get("/public/campaigns", auth=None, response={200: CampaignPage, 422: ErrorOut})
def public_campaigns(request, response: HttpResponse, filters: Query[CampaignFilters]):
    response["Cache-Control"] = "public, max-age=300"
    rows, next_cursor = page_of(
        queries.public_campaigns().prefetch_related("demands", "targets", "actions", "participants"),
        limit=filters.limit,
        cursor=filters.cursor,
        newest_first=True,
    )
    return {"items": [_campaign_out(c) for c in rows], "next": next_cursor}


@public.get("/public/campaigns/{campaign_id}", auth=None, response={200: CampaignOut, 404: ErrorOut})
def public_campaign(request, response: HttpResponse, campaign_id: int):
    response["Cache-Control"] = "public, max-age=300"
    return _campaign_out(queries.get_public_campaign(campaign_id))


class CampaignIn(Schema):
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=10000)
    status: codes(Campaign.Status) | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    is_public: bool | None = None
    participants: list[int] | None = Field(None, description="Organization ids")


class DemandIn(Schema):
    text: str = Field(max_length=500)


class DemandStatusIn(Schema):
    status: codes(Demand.Status)


class TargetIn(Schema):
    kind: codes(Target.Kind)
    name: str = Field(max_length=200)
    country: str = ""


class CampaignActionIn(Schema):
    on: date
    kind: codes(CampaignAction.Kind)
    description: str = Field(max_length=1000)
    outcome: str = Field("", max_length=1000)
    target_id: int | None = None


def _lead_campaign(request, campaign_id: int, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_campaign_for(request.auth, organization, campaign_id)
    if found.organization_id != organization.pk:
        raise PermissionDenied()
    return found


def _fresh(request, campaign) -> dict:
    return _campaign_out(queries.get_campaign_for(request.auth, campaign.organization, campaign.pk))


@router.get("/campaigns", response={200: list[CampaignOut], **ERRORS})
def list_campaigns(request, organization_id: int):
    """Campaigns the organization leads or takes part in (newest 200)."""
    organization = organization_for_staff(request.auth, organization_id)
    rows = queries.campaigns_for(request.auth, organization).prefetch_related(
        "demands", "targets", "actions", "participants"
    )
    return [_campaign_out(c) for c in rows[:200]]


@router.post("/campaigns", response={201: CampaignOut, **ERRORS})
def create_campaign(request, organization_id: int, payload: CampaignIn):
    organization = organization_for_staff(request.auth, organization_id)
    made = services.save_campaign(organization, data=payload.dict(exclude_unset=True), actor=request.auth)
    return Status(201, _fresh(request, made))


@router.patch("/campaigns/{campaign_id}", response={200: CampaignOut, **ERRORS})
def update_campaign(request, campaign_id: int, organization_id: int, payload: CampaignIn):
    found = _lead_campaign(request, campaign_id, organization_id)
    services.save_campaign(
        found.organization, data=payload.dict(exclude_unset=True), campaign=found, actor=request.auth
    )
    return _fresh(request, found)


@router.post("/campaigns/{campaign_id}/demands", response={201: CampaignOut, **ERRORS})
def add_demand(request, campaign_id: int, organization_id: int, payload: DemandIn):
    found = _lead_campaign(request, campaign_id, organization_id)
    services.add_demand(found, text=payload.text, actor=request.auth)
    return Status(201, _fresh(request, found))


@router.patch("/campaigns/{campaign_id}/demands/{demand_id}", response={200: CampaignOut, **ERRORS})
def demand_status(request, campaign_id: int, demand_id: int, organization_id: int, payload: DemandStatusIn):
    found = _lead_campaign(request, campaign_id, organization_id)
    services.set_demand_status(
        queries.get_demand(found, demand_id), status=payload.status, actor=request.auth
    )
    return _fresh(request, found)


@router.post("/campaigns/{campaign_id}/targets", response={201: CampaignOut, **ERRORS})
def add_target(request, campaign_id: int, organization_id: int, payload: TargetIn):
    found = _lead_campaign(request, campaign_id, organization_id)
    services.add_target(found, data=services.TargetInput(**payload.dict()), actor=request.auth)
    return Status(201, _fresh(request, found))


@router.post("/campaigns/{campaign_id}/actions", response={201: CampaignOut, **ERRORS})
def add_action(request, campaign_id: int, organization_id: int, payload: CampaignActionIn):
    found = _lead_campaign(request, campaign_id, organization_id)
    data = payload.dict()
    data["target"] = queries.get_target(found, data.pop("target_id"))
    services.add_action(found, data=services.ActionInput(**data), actor=request.auth)
    return Status(201, _fresh(request, found))


# Reports to the ILO ----------------------------------------------------------------------------------


class ReportOut(Schema):
    id: int
    organization_id: int
    title: str
    convention: codes(Convention)
    country: str
    addressed_to: str
    status: codes(Report.Status)
    submitted_on: date | None
    submitted_version: int | None
    sections: list[dict]
    versions: list[int]


def _report_out(report) -> dict:
    return {
        "id": report.pk,
        "organization_id": report.organization_id,
        "title": report.title,
        "convention": report.convention,
        "country": str(report.country),
        "addressed_to": report.addressed_to,
        "status": report.status,
        "submitted_on": report.submitted_on,
        "submitted_version": report.submitted_version,
        "sections": [
            {
                "id": s.pk,
                "kind": s.kind,
                "heading": s.heading,
                "body": s.body,
                "speaker": s.speaker,
                "params": s.params,
            }
            for s in report.sections.all()
        ],
        "versions": list(report.versions.values_list("number", flat=True)),
    }


class ReportIn(Schema):
    organization_id: int
    title: str = Field(max_length=200)
    convention: codes(Convention) = Convention.C177.value
    country: str
    addressed_to: str = ""


class ReportSectionIn(Schema):
    kind: codes(ReportSection.Kind)
    heading: str = Field(max_length=200)
    body: str = Field("", max_length=20000)
    speaker: str = Field("", max_length=200, description="testimony: who, in general words")
    dataset: codes(DATASETS, blank=True) = Field("", description="evidence only")
    group_by: GroupBy | Literal[""] = Field("", description="evidence only")
    from_: date | None = Field(None, alias="from")
    to: date | None = None


class VersionIn(Schema):
    note: str = Field("", max_length=300)


class ReportVersionOut(Schema):
    number: int
    note: str
    created_at: datetime
    content: dict
    pdf: str
    docx: str


def _version_out(report, version) -> dict:
    args = [report.organization.slug, report.pk, version.number]
    return {
        "number": version.number,
        "note": version.note,
        "created_at": version.created_at,
        "content": version.content,
        "pdf": reverse("report_export", args=[*args, "pdf"]),
        "docx": reverse("report_export", args=[*args, "docx"]),
    }


@router.get("/reports", response={200: list[ReportOut], **ERRORS})
def list_reports(request, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    return [
        _report_out(r)
        for r in queries.reports_of(request.auth, organization).prefetch_related("sections")[:200]
    ]


@router.post("/reports", response={201: ReportOut, **ERRORS})
def create_report(request, payload: ReportIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    made = services.save_report(
        organization, data=payload.dict(exclude={"organization_id"}), actor=request.auth
    )
    return Status(201, _report_out(made))


@router.post("/reports/{report_id}/sections", response={201: ReportOut, **ERRORS})
def add_report_section(request, report_id: int, payload: ReportSectionIn):
    found = queries.get_report(request.auth, report_id)
    data = payload.dict(by_alias=True)
    data["from"] = data.get("from") or None
    services.add_report_section(found, data=data, actor=request.auth)
    return Status(201, _report_out(queries.get_report(request.auth, report_id)))


@router.post("/reports/{report_id}/versions", response={201: ReportVersionOut, **ERRORS})
def save_report_version(request, report_id: int, payload: VersionIn):
    """Freeze the report as it reads now (figures released, audited) as its next version."""
    found = queries.get_report(request.auth, report_id)
    version = services.save_version(found, note=payload.note, actor=request.auth)
    return Status(201, _version_out(found, version))


@router.get("/reports/{report_id}/versions/{number}", response={200: ReportVersionOut, **ERRORS})
def get_report_version(request, report_id: int, number: int):
    found = queries.get_report(request.auth, report_id)
    return _version_out(found, queries.get_report_version(found, number))

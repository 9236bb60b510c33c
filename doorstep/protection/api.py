"""API of social protection: schemes (the catalogue, the organization's and its networks'), members
likely eligible for one, applications with their history, the step from a rejection to a grievance
case, renewals due and the lookup by reference number. Reading a reference number is audited."""

from django.http import Http404
from ninja import Query, Router, Status

from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut
from doorstep.organizations.queries import organization_for_staff, organizations_for_staff

from . import queries, rules, services
from .schemas import (
    ApplicationFilters,
    ApplicationIn,
    ApplicationOut,
    ApplicationPage,
    ApplicationPatch,
    CaseLinkOut,
    EligiblePage,
    ReferenceSearchIn,
    SchemeIn,
    SchemeOut,
)

router = Router(tags=["protection"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def scheme_out(scheme) -> dict:
    return {
        "id": scheme.pk,
        "organization_id": scheme.organization_id,
        "name": scheme.name,
        "kind": scheme.kind,
        "country": scheme.country.code,
        "region_names": scheme.region_names,
        "eligibility": scheme.eligibility,
        "rules": rules.describe(scheme.rules),
        "documents": scheme.documents,
        "where_to_apply": scheme.where_to_apply,
        "benefits": scheme.benefits,
        "renew_every_months": scheme.renew_every_months,
        "source": scheme.source,
        "as_of": scheme.as_of,
        "verified": scheme.verified,
        "notes": scheme.notes,
    }


def application_out(application, sealed: dict | None = None) -> dict:
    out = {
        "id": application.pk,
        "organization_id": application.organization_id,
        "member_id": application.member_id,
        "scheme_id": application.scheme_id,
        "scheme_name": application.scheme.name,
        "status": application.status,
        "started_on": application.started_on,
        "submitted_on": application.submitted_on,
        "decided_on": application.decided_on,
        "paid_on": application.paid_on,
        "renew_by": application.renew_by,
        "next_step_due": application.next_step_due,
        "next_step_done": application.next_step_done_at is not None,
        "checklist": application.checklist,
        "case_id": application.case_id,
        "updated_at": application.updated_at,
    }
    if sealed is not None:
        out.update(
            reference_number=sealed.get("reference_number", ""),
            next_step=sealed.get("next_step", ""),
            note=sealed.get("note", ""),
            history=[{"status": e.status, "on": e.on, "by": e.by_id} for e in application.events.all()],
        )
    return out


@router.get("/schemes", response={200: list[SchemeOut], **ERRORS})
def list_schemes(request, organization_id: int, country: str | None = None):
    """The schemes the organization can use: the shipped catalogue, its own, its networks'."""
    organization = organization_for_staff(request.auth, organization_id)
    return [scheme_out(s) for s in queries.schemes_for(request.auth, organization, country=country)]


@router.post("/schemes", response={201: SchemeOut, **ERRORS})
def add_scheme(request, payload: SchemeIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    data = payload.dict(exclude={"organization_id"})
    scheme = services.add_scheme(organization, services.SchemeInput(**data), actor=request.auth)
    return Status(201, scheme_out(scheme))


@router.get("/schemes/{scheme_id}", response={200: SchemeOut, **ERRORS})
def get_scheme(request, scheme_id: int, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    return scheme_out(queries.get_scheme(request.auth, scheme_id, organization))


@router.get("/schemes/{scheme_id}/eligible", response={200: EligiblePage, **ERRORS})
def eligible(request, scheme_id: int, organization_id: int, group: int | None = None, locality: str = ""):
    """Active members likely eligible (the scheme's rules hold, or a field they need is blank) with
    no application under way or accepted; ids and numbers, no names."""
    organization = organization_for_staff(request.auth, organization_id)
    scheme = queries.get_scheme(request.auth, scheme_id, organization)
    found, cut = queries.likely_eligible(
        request.auth, organization, scheme, group_id=group, locality=locality
    )
    return {
        "items": [
            {
                "member_id": e.member.pk,
                "number": e.member.number,
                "group": e.member.group.name if e.member.group else "",
                "locality": e.member.locality,
                "to_check": list(e.unknown),
            }
            for e in found
        ],
        "cut": cut,
    }


@router.get("/applications", response={200: ApplicationPage, **ERRORS})
def list_applications(request, filters: Query[ApplicationFilters]):
    organization, _all = organizations_for_staff(request.auth, filters.organization_id)
    found = queries.filter_applications(
        queries.applications_of(request.auth, organization),
        {"status": filters.status, "scheme": filters.scheme_id, "member": filters.member_id},
    )
    rows, next_cursor = page_of(found, limit=filters.limit, cursor=filters.cursor)
    return {"items": [application_out(a) for a in rows], "next": next_cursor}


@router.get("/applications/renewals", response={200: list[ApplicationOut], **ERRORS})
def renewals(request, organization_id: int, within_days: int = 60):
    """Enrolled members whose scheme is to be renewed within ``within_days`` days, or overdue."""
    organization = organization_for_staff(request.auth, organization_id)
    within = max(0, min(within_days, 366))
    return [
        application_out(a)
        for a in queries.renewals_due(request.auth, organization, within_days=within)[:2000]
    ]


@router.post("/applications/search", response={200: list[ApplicationOut], **ERRORS})
def search(request, payload: ReferenceSearchIn):
    """Applications with this reference number (exact, through its blind index). A POST, so that
    the number never stands in a URL or a log."""
    organization = organization_for_staff(request.auth, payload.organization_id)
    return [
        application_out(a)
        for a in services.find_by_reference(organization, payload.reference_number, actor=request.auth)
    ]


@router.post("/applications", response={201: ApplicationOut, **ERRORS})
def start_application(request, payload: ApplicationIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    data = payload.dict(exclude={"organization_id"})
    application = services.start_application(
        organization, services.ApplicationInput(**data), actor=request.auth
    )
    application = queries.get_application(request.auth, application.pk)
    sealed = services.reveal([application], actor=request.auth, reason="api create")[application.pk]
    return Status(201, application_out(application, sealed))


@router.get("/applications/{application_id}", response={200: ApplicationOut, **ERRORS})
def get_application(request, application_id: int):
    application = queries.get_application(request.auth, application_id)
    sealed = services.reveal([application], actor=request.auth, reason="api detail")[application.pk]
    return application_out(application, sealed)


@router.patch("/applications/{application_id}", response={200: ApplicationOut, **ERRORS})
def update_application(request, application_id: int, payload: ApplicationPatch):
    """Change the fields sent; ``status`` (with ``on``) moves it on and joins its history."""
    application = queries.get_application(request.auth, application_id)
    data = payload.dict(exclude_unset=True)
    status, on = data.pop("status", None), data.pop("on", None)
    if data:
        services.update_application(
            application,
            services.ApplicationChange(
                **data, clear_next_step_due="next_step_due" in data and data["next_step_due"] is None
            ),
            actor=request.auth,
        )
    if status:
        services.set_status(application, status, on=on, actor=request.auth)
    application = queries.get_application(request.auth, application_id)
    sealed = services.reveal([application], actor=request.auth, reason="api update")[application.pk]
    return application_out(application, sealed)


@router.post("/applications/{application_id}/case", response={201: CaseLinkOut, **ERRORS})
def open_case(request, application_id: int):
    """A rejected application becomes a grievance case ("no social protection") in one step; sent
    again, the same case comes back."""
    application = queries.get_application(request.auth, application_id)
    case = services.turn_rejection_into_case(application, actor=request.auth)
    if case is None:
        raise Http404
    return Status(201, {"case_id": case.pk, "number": case.number})

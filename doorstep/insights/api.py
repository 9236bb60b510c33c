"""``/api/v1/aggregates/{dataset}``: the one door for figures outside the organization that holds the
data. Every answer says which cells were withheld and the k used; an empty answer says why. And
``/api/v1/due-diligence/{company_id}/dossier``: a company's dossier, its tables through the same door."""

from datetime import date

from ninja import Field, Query, Router, Schema

from doorstep.core.schemas import ErrorOut, Period, codes
from doorstep.organizations import queries as org_queries
from doorstep.organizations.models import SharingPurpose
from doorstep.supplychains import queries as chain_queries
from doorstep.supplychains.api import CommitmentOut, NarrativeOut, commitment_out

from . import dossier as dossiers
from . import queries, services
from .schemas import Dataset, Dimension, GroupBy

router = Router(tags=["aggregates"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class AggregateParams(Schema):
    recipient_id: int = Field(..., description="The network, company or ally you read figures for.")
    group_by: GroupBy
    purpose: codes(SharingPurpose) | None = Field(
        None, description="Default: the first purpose the recipient can receive."
    )
    period: str | None = Field(
        None,
        description="A calendar month, quarter or year: 2026-03, 2026-Q1 or 2026 (default: all time). "
        "Outside the organization there are no free ranges of days.",
    )
    from_: date | None = Field(
        None, alias="from", description="With ``to``: the first day of a calendar month, quarter or year."
    )
    to: date | None = Field(None, description="With ``from``: the last day of that month, quarter or year.")
    organization_id: int | None = Field(None, description="Only this sharing organization.")
    k: int | None = Field(
        None,
        description="A higher threshold (at least 5); the sharing organizations' own k applies if higher.",
    )


class LatticePeriod(Schema):
    period: str | None = Field(
        None, description="A calendar month, quarter or year: 2026-03, 2026-Q1 or 2026."
    )


class AggregateRow(Schema):
    key: dict[str, str | int]
    labels: dict[str, str]
    margin: bool
    suppressed: str = Field(description='"" (shown), "primary" (fewer than k workers) or "complementary".')
    figures: dict[str, str | int | None]


class SharingOrganizationRef(Schema):
    id: int
    name: str


class AggregateOut(Schema):
    dataset: Dataset
    recipient_id: int
    purpose: codes(SharingPurpose)
    group_by: list[Dimension]
    period: str = Field(description="The calendar month, quarter or year; blank for all time.")
    from_: date | None = Field(None, alias="from")
    to: date | None = None
    on: date
    k: int
    unit: str = Field(description="worker, or worker_month when grouped by month")
    organizations: list[SharingOrganizationRef]
    reason: str = Field(description="Why there are no rows, when there are none.")
    suppressed_cells: int
    method: str
    rows: list[AggregateRow]


@router.get("/aggregates/{dataset}", response={200: AggregateOut, **ERRORS}, by_alias=True)
def aggregates(request, dataset: Dataset, params: Query[AggregateParams]):
    """Figures on members (``members``) or work and earnings (``work``) of the organizations that share
    them with the recipient, suppressed below k workers with complementary suppression."""
    recipient = org_queries.get_recipient(request.auth, params.recipient_id)
    ask = queries.ask(
        recipient,
        dataset=dataset,
        group_by=params.group_by,
        purpose=params.purpose,
        period=params.period,
        start=params.from_,
        end=params.to,
        organization_id=params.organization_id,
        k=params.k,
    )
    result = services.release(ask, actor=request.auth, channel="api")
    return queries.as_data(result)


# The company's due-diligence dossier ---------------------------------------------------------------


class DossierOut(Schema):
    company_id: int
    made_on: date
    k: int
    organizations: list[dict]
    tables: dict[str, dict] = Field(
        description="supplier, party, sector (as /aggregates/work returns) and grievances (by problem)."
    )
    narratives: list[NarrativeOut]
    commitments: list[CommitmentOut]


@router.get("/due-diligence/{company_id}/dossier", response={200: DossierOut, **ERRORS})
def get_dossier(request, company_id: int, period: Query[Period], lattice: Query[LatticePeriod]):
    """The company's dossier: suppressed figures on its own chain by supplier, work giver and sector,
    the sharing organizations' narratives by OECD step, and the commitments with their status."""
    company = chain_queries.company_for(request.auth, pk=company_id)
    dossier = dossiers.build(
        company, actor=request.auth, period=lattice.period, start=period.from_, end=period.to, channel="api"
    )
    return {
        "company_id": company.pk,
        "made_on": dossier.made_on,
        "k": dossier.k,
        "organizations": [{"id": o.pk, "name": o.name} for o in dossier.organizations],
        "tables": {
            code: queries.as_data(result)
            for (code, *_rest), (_t, result) in zip(dossiers.TABLES, dossier.tables, strict=True)
        },
        "narratives": [
            {
                "organization_id": n.organization_id,
                "organization": n.organization.name,
                "step": n.step,
                "text": n.text,
            }
            for rows in dossier.narratives.values()
            for n in rows
        ],
        "commitments": [commitment_out(c) for c in dossier.commitments],
    }

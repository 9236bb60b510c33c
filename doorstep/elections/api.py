"""API of elections: staff run them (``/elections…``), anyone with a one-time code votes
(``/public/ballots``), members read published results, a network reads its affiliates' turnout."""

import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from doorstep.core.downloads import attachment
from doorstep.core.errors import ValidationError
from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut
from doorstep.organizations.models import Organization
from doorstep.organizations.queries import organization_for_staff

from . import queries, services
from .schemas import (
    AnswerIn,
    BallotIn,
    CastOut,
    ContestIn,
    CountOut,
    ElectionFilters,
    ElectionIn,
    ElectionOut,
    ElectionPage,
    NominationIn,
    ResultsOut,
    StationIn,
    TurnoutRowOut,
)

router = Router(tags=["elections"])
public = Router(tags=["public"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def election_out(election) -> dict:
    counts = queries.roll_counts(election)
    return {
        "id": election.pk,
        "organization_id": election.organization_id,
        "title": election.title,
        "opens_at": election.opens_at,
        "closes_at": election.closes_at,
        "roll_date": election.roll_date,
        "roll_frozen": election.roll_frozen_at is not None,
        "codes_issued": election.codes_issued_at is not None,
        "counted": election.counted_at is not None,
        "published": election.published_at is not None,
        "roll": counts["roll"],
        "voted_by_code": counts["voted_by_code"],
        "contests": list(election.contests.values("id", "position_title", "method", "seats")),
        "nominations": [
            {
                "id": n.pk,
                "contest_id": n.contest_id,
                "nominee_id": n.nominee_id,
                "nominated_by_id": n.nominated_by_id,
                "status": n.status,
                "answered_on": n.answered_on,
            }
            for n in queries.nominations_of(election)
        ],
        "stations": [
            {"id": s.pk, "name": s.name, "roll": s.roll_size, "tally_entered": hasattr(s, "tally")}
            for s in queries.stations_of(election)
        ],
    }


def _election(request, election_id):
    return queries.get_election(request.auth, None, election_id)


@router.get("/elections", response={200: ElectionPage, **ERRORS})
def list_elections(request, filters: Query[ElectionFilters]):
    organization = organization_for_staff(request.auth, filters.organization_id)
    rows, next_cursor = page_of(
        queries.elections_of(request.auth, organization),
        limit=filters.limit,
        cursor=filters.cursor,
        newest_first=True,
    )
    return {"items": [election_out(e) for e in rows], "next": next_cursor}


@router.post("/elections", response={201: ElectionOut, **ERRORS})
def create_election(request, payload: ElectionIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    data = services.ElectionInput(payload.title, payload.opens_at, payload.closes_at, payload.roll_date)
    return Status(201, election_out(services.create_election(organization, data, actor=request.auth)))


@router.get("/elections/{election_id}", response={200: ElectionOut, **ERRORS})
def get_election(request, election_id: int):
    return election_out(_election(request, election_id))


@router.post("/elections/{election_id}/contests", response={201: ElectionOut, **ERRORS})
def add_contest(request, election_id: int, payload: ContestIn):
    election = _election(request, election_id)
    data = services.ContestInput(payload.position_title, payload.method, payload.seats)
    services.add_contest(election, data, actor=request.auth)
    return Status(201, election_out(election))


@router.post("/elections/{election_id}/roll", response={201: CountOut, **ERRORS})
def freeze_roll(request, election_id: int):
    """Freeze the voter roll: every member eligible on the election's roll date (once)."""
    return Status(201, {"entries": services.freeze_roll(_election(request, election_id), actor=request.auth)})


@router.post("/elections/{election_id}/nominations", response={201: ElectionOut, **ERRORS})
def nominate(request, election_id: int, payload: NominationIn):
    """A nomination; one of someone not on the roll answers 422 ``not_eligible`` with the reason."""
    election = _election(request, election_id)
    contest = election.contests.filter(pk=payload.contest_id).first()
    if contest is None:
        raise ValidationError.for_field("body.payload.contest_id", _("No such position in this election."))
    data = services.NominationInput(payload.nominee_id, payload.nominated_by_id)
    services.nominate(contest, data, actor=request.auth)
    return Status(201, election_out(election))


@router.post(
    "/elections/{election_id}/nominations/{nomination_id}/answer", response={200: ElectionOut, **ERRORS}
)
def answer(request, election_id: int, nomination_id: int, payload: AnswerIn):
    """The nominee's answer, as she gave it."""
    election = _election(request, election_id)
    nomination = queries.get_nomination(request.auth, election, nomination_id)
    services.answer_nomination(nomination, accept=payload.accept, actor=request.auth)
    return election_out(election)


@router.post("/elections/{election_id}/stations", response={201: ElectionOut, **ERRORS})
def add_station(request, election_id: int, payload: StationIn):
    election = _election(request, election_id)
    services.add_station(
        election, services.StationInput(payload.name, payload.member_ids), actor=request.auth
    )
    return Status(201, election_out(election))


@router.post("/elections/{election_id}/stations/{station_id}/tally", response={201: ElectionOut, **ERRORS})
def enter_tally(
    request,
    election_id: int,
    station_id: int,
    photo: File[UploadedFile],
    ballots_cast: Form[int],
    votes: Form[str],
    spoiled: Form[int] = 0,
):
    """Multipart: ``ballots_cast``, ``spoiled``, ``votes`` (JSON: {contest id: {nomination id: votes}})
    and ``photo`` of the signed tally sheet (a picture; re-encoded, its metadata dropped)."""
    election = _election(request, election_id)
    station = queries.get_station(request.auth, election, station_id)
    try:
        parsed = {int(c): {int(n): int(v) for n, v in row.items()} for c, row in json.loads(votes).items()}
    except (ValueError, TypeError, AttributeError):
        raise ValidationError.for_field(
            "body.votes", _('Give the votes as {"contest id": {"nomination id": votes}}.')
        ) from None
    data = services.TallyInput(ballots_cast, spoiled, parsed, photo.name or "tally", photo.read())
    services.enter_tally(station, data, actor=request.auth)
    return Status(201, election_out(election))


@router.post("/elections/{election_id}/codes", response={200: None, **ERRORS})
def issue_codes(request, election_id: int):
    """The slips with one-time codes as a PDF (once: the codes are not kept, only their digests)."""
    election = _election(request, election_id)
    slips = services.issue_codes(election, actor=request.auth)
    address = request.build_absolute_uri(reverse("vote", args=[election.organization.slug]))
    pdf = services.slips_pdf(election, slips, ballot_address=address)
    return attachment(pdf, content_type="application/pdf", filename=f"codes-{election.pk}.pdf")


@router.post("/elections/{election_id}/count", response={200: ResultsOut, **ERRORS})
def count(request, election_id: int):
    election = services.count_election(_election(request, election_id), actor=request.auth)
    return _results(request, election)


@router.post("/elections/{election_id}/publish", response={200: ResultsOut, **ERRORS})
def publish(request, election_id: int):
    election = services.publish_results(_election(request, election_id), actor=request.auth)
    return _results(request, election)


@router.get("/elections/{election_id}/results", response={200: ResultsOut, **ERRORS})
def results(request, election_id: int):
    """The count, for staff once counted and for every member with a login once published."""
    election = queries.get_election(request.auth, None, election_id, published=True)
    if election.counted_at is None:
        raise ValidationError.for_field("path.election_id", _("Not counted yet."), code="not_counted")
    return _results(request, election)


def _results(request, election) -> dict:
    names = queries.candidate_names(election, actor=request.auth)
    return {
        "election_id": election.pk,
        "contests": election.results.get("contests", []),
        "turnout": election.results.get("turnout", {}),
        "candidates": {str(pk): name for pk, (name, _proposer) in names.items()},
        "published": election.published_at is not None,
    }


@router.get("/election-turnout", response={200: list[TurnoutRowOut], **ERRORS})
def turnout(request, network_id: int):
    """A network's view: its affiliates' published elections, roll size and how many voted; never a ballot."""
    return queries.network_turnout(request.auth, network_id)


@public.post("/public/ballots", auth=None, response={201: CastOut, 404: ErrorOut, 422: ErrorOut})
def cast(request, payload: BallotIn, response: HttpResponse):
    """Vote with a one-time code (no login). A code used twice, a ballot before the opening or after the
    close answers 422 with ``code`` ``code_used``, ``not_open`` or ``closed``; nothing is stored."""
    response["Cache-Control"] = "no-store"
    organization = Organization.objects.filter(slug=payload.organization, is_active=True).first()
    if organization is None:
        raise ValidationError.for_field(
            "body.payload.code", _("This code is not known."), code="unknown_code"
        )
    services.cast_ballot(organization.pk, services.BallotInput(payload.code, payload.choices))
    return Status(201, {"detail": _("Your ballot is cast. Thank you for voting.")})

"""Reads of elections, scoped through ``core.tenancy``: staff manage them; every member with a login
reads published results; a network reads its affiliates' turnout, never a ballot."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from doorstep.core import audit, tenancy, vault
from doorstep.core.roles import ALL_ROLES, STAFF_ROLES, Role
from doorstep.members.models import Member
from doorstep.members.services.pii import PII_PURPOSE
from doorstep.organizations.models import Affiliation, Organization

from .models import Election, Nomination, PollingStation, RollEntry, StationTally


def elections_of(user, organization) -> QuerySet[Election]:
    return tenancy.scoped(Election, user, organization)


def get_election(user, organization, election_id, *, published: bool = False) -> Election:
    """One election (of ``organization`` if given); with ``published``, any member with a login reads
    it once its results are published (staff always)."""
    roles = ALL_ROLES if published else STAFF_ROLES
    election = tenancy.get_scoped_or_404(Election, user, election_id, organization, roles=roles)
    staff = tenancy.role_in(user, election.organization_id) in STAFF_ROLES
    if published and not staff and election.published_at is None:
        raise Http404
    return election


def get_nomination(user, election: Election, nomination_id) -> Nomination:
    nomination = tenancy.get_scoped_or_404(
        Nomination, user, nomination_id, election.organization_id, select_related=["contest"]
    )
    if nomination.contest.election_id != election.pk:
        raise Http404
    return nomination


def get_station(user, election: Election, station_id) -> PollingStation:
    station = tenancy.get_scoped_or_404(PollingStation, user, station_id, election.organization_id)
    if station.election_id != election.pk:
        raise Http404
    return station


def roll_of(election: Election) -> QuerySet[RollEntry]:
    return RollEntry.objects.filter(election=election).select_related("member", "station")


def roll_counts(election: Election) -> dict[str, int]:
    roll = RollEntry.objects.filter(election=election)
    return {"roll": roll.count(), "voted_by_code": roll.filter(voted_via=RollEntry.Via.CODE).count()}


def nominations_of(election: Election) -> QuerySet[Nomination]:
    return Nomination.objects.filter(contest__election=election).select_related(
        "contest", "nominee__subject_key", "nominated_by__subject_key"
    )


def stations_of(election: Election):
    stations = list(PollingStation.objects.filter(election=election).select_related("tally"))
    counts = {}
    for station_id in RollEntry.objects.filter(election=election, station__isnull=False).values_list(
        "station_id", flat=True
    ):
        counts[station_id] = counts.get(station_id, 0) + 1
    for station in stations:
        station.roll_size = counts.get(station.pk, 0)
    return stations


def candidate_names(election: Election, *, actor) -> dict[int, tuple[str, str]]:
    """{nomination id: (the nominee's name, the nominator's)} (an audited read). A nominee's name is
    public within the organization once she stands; the nominator's is shown to staff only ("")."""
    nominations = list(nominations_of(election))
    staff = tenancy.role_in(actor, election.organization_id) in STAFF_ROLES
    members = {n.nominee_id: n.nominee for n in nominations}
    if staff:
        members.update({n.nominated_by_id: n.nominated_by for n in nominations})
    if not members:
        return {}
    names = {
        pk: vault.open_sealed(m.subject_key, m.pii, purpose=PII_PURPOSE).get("full_name", "")
        for pk, m in members.items()
    }
    audit.record_reads(
        "member.pii_read",
        actor=actor,
        rows=list(members.values()),
        object_type="members.member",
        ids_key="member_ids",
        reason="election candidates",
    )
    return {n.pk: (names[n.nominee_id], names[n.nominated_by_id] if staff else "") for n in nominations}


def members_for_choice(user, organization) -> QuerySet[Member]:
    """Members staff may pick (as nominee, nominator, a station's voters): the members app's door."""
    return tenancy.scoped(Member, user, organization).filter(merged_into__isnull=True).order_by("number")


TURNOUT_ROLES = frozenset({Role.ORG_ADMIN, Role.ORGANIZER, Role.NETWORK_ANALYST})


def network_turnout(user, network) -> list[dict]:
    """Turnout of the network's affiliates' published elections: counts only, never a ballot or a name.
    The network's people read it; for an organization that is not a network, 404."""
    tenancy.require_role(user, network, TURNOUT_ROLES)
    network = Organization.objects.get(pk=getattr(network, "pk", network))
    if not network.is_network:
        raise Http404
    today = timezone.localdate()
    affiliates = Affiliation.objects.filter(network=network, since__lte=today).exclude(until__lt=today)
    ids = list(affiliates.values_list("member_id", flat=True))
    names = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = []
    for election in Election.objects.filter(organization_id__in=ids, published_at__isnull=False).order_by(
        "-closes_at"
    ):
        turnout = election.results.get("turnout", {})
        voted = turnout.get("by_code", 0) + turnout.get("on_paper", 0)
        rows.append(
            {
                "organization": names[election.organization_id],
                "organization_id": election.organization_id,
                "election": election.title,
                "closed_on": timezone.localtime(election.closes_at).date(),
                "roll": turnout.get("roll", 0),
                "voted": voted,
            }
        )
    return rows


def candidates_of(election: Election) -> dict[int, list[int]]:
    """{contest id: accepted nomination ids}, in the order they were nominated."""
    found: dict[int, list[int]] = {}
    for contest_id, nomination_id in (
        Nomination.objects.filter(contest__election=election, status=Nomination.Status.ACCEPTED)
        .order_by("id")
        .values_list("contest_id", "id")
    ):
        found.setdefault(contest_id, []).append(nomination_id)
    return found


def member_ids_by_number(user, organization, numbers: list[int]) -> dict[int, int]:
    """{member number: member id} of the organization's members with these numbers."""
    return dict(members_for_choice(user, organization).filter(number__in=numbers).values_list("number", "id"))


def organization_by_slug(slug: str) -> Organization:
    found = Organization.objects.filter(slug=slug, is_active=True).first()
    if found is None:
        raise Http404
    return found


def tally_of(station: PollingStation):
    tally = StationTally.objects.filter(station=station).first()
    if tally is None:
        raise Http404
    return tally

"""Reads of supply chains: parties, links and chains, due diligence and supplier lists, through the
acting user (``core.tenancy``); and, for a company's figures, its chain and what the organizations
share with it, read only after ``insights.queries`` has checked their agreements."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from doorstep.core import tenancy
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.models import Organization, SharingAgreement, SharingPurpose
from doorstep.organizations.queries import get_recipient, sharing_organization_ids

from .models import (
    Commitment,
    DossierNarrative,
    MatchOutcome,
    Party,
    PartyLink,
    SupplierList,
    SupplierListRow,
)


def parties_of(user, organization=None) -> QuerySet[Party]:
    return tenancy.scoped(Party, user, organization, roles=STAFF_ROLES).select_related("subject_key")


def get_party(user, party_id, organization=None) -> Party:
    return tenancy.get_scoped_or_404(Party, user, party_id, organization, roles=STAFF_ROLES)


def filter_parties(queryset: QuerySet[Party], filters: dict) -> QuerySet[Party]:
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("q"):
        queryset = queryset.filter(name__icontains=filters["q"])
    if filters.get("active") in (True, "1", "true"):
        queryset = queryset.filter(is_active=True)
    return queryset


def links_of(user, party: Party) -> QuerySet[PartyLink]:
    """The links where the party buys or sells."""
    return (
        tenancy.scoped(PartyLink, user, party.organization_id, roles=STAFF_ROLES)
        .filter(Q(buyer=party) | Q(seller=party))
        .select_related("buyer", "seller")
    )


def get_link(user, link_id, organization=None) -> PartyLink:
    return tenancy.get_scoped_or_404(
        PartyLink, user, link_id, organization, roles=STAFF_ROLES, select_related=("buyer", "seller")
    )


@dataclass
class Node:
    party: Party
    layer: int
    members: int = 0
    orders: int = 0
    x: int = 0
    y: int = 0


@dataclass
class Chain:
    root: Party
    nodes: list[Node]
    links: list[PartyLink]
    width: int
    height: int

    def node(self, party_id: int) -> Node:
        return next(n for n in self.nodes if n.party.pk == party_id)


NODE_WIDTH, NODE_HEIGHT, GAP_X, GAP_Y = 160, 48, 16, 56


def orders_given_by(party: Party):
    """The work orders a party gave that stand (not voided), newest first, for a party read through
    the door (its orders are its organization's). Through the reverse relation ``work`` declares,
    so that parties need not import work."""
    return (
        party.work_orders.filter(voided_at__isnull=True)  # a voided order counts nowhere
        .select_related("party", "member", "benchmark")
        .order_by("-given_on", "-pk")
    )


def chain(user, root: Party) -> Chain:
    """The chain below ``root`` (whom it buys from, and so on down to the intermediaries at the
    homeworkers' doors), each party with the members and work orders it reaches directly. Layers
    follow the longest path from the root, so a party is drawn below everyone it buys from."""
    every = list(
        tenancy.scoped(PartyLink, user, root.organization_id, roles=STAFF_ROLES).select_related(
            "buyer", "seller"
        )
    )
    below: dict[int, list[PartyLink]] = {}
    for link in every:
        below.setdefault(link.buyer_id, []).append(link)
    layer: dict[int, int] = {root.pk: 0}
    parties: dict[int, Party] = {root.pk: root}
    links: list[PartyLink] = []
    frontier = [root.pk]
    while frontier:  # links cannot loop (services.add_link refuses it), so this ends
        following = []
        for buyer_id in frontier:
            for link in below.get(buyer_id, []):
                if link not in links:
                    links.append(link)
                parties[link.seller_id] = link.seller
                if layer.get(link.seller_id, -1) < layer[buyer_id] + 1:
                    layer[link.seller_id] = layer[buyer_id] + 1
                    following.append(link.seller_id)
        frontier = following
    # Through the reverse relation ``work`` declares (its orders point at our parties), so that parties
    # need not import work; the parties are the organization's own, and so are their orders.
    counts = {
        row["pk"]: row
        for row in tenancy.scoped(Party, user, root.organization_id, roles=STAFF_ROLES)
        .filter(pk__in=list(parties))
        .values("pk")
        .filter(work_orders__voided_at__isnull=True)
        .annotate(members=Count("work_orders__member", distinct=True), orders=Count("work_orders"))
    }
    nodes = [
        Node(party, layer[pk], counts.get(pk, {}).get("members", 0), counts.get(pk, {}).get("orders", 0))
        for pk, party in sorted(parties.items(), key=lambda item: (layer[item[0]], item[1].name))
    ]
    per_layer: dict[int, int] = {}
    for node in nodes:
        position = per_layer.get(node.layer, 0)
        per_layer[node.layer] = position + 1
        node.x = GAP_X + position * (NODE_WIDTH + GAP_X)
        node.y = GAP_Y // 2 + node.layer * (NODE_HEIGHT + GAP_Y)
    width = GAP_X + max(per_layer.values()) * (NODE_WIDTH + GAP_X)
    height = GAP_Y + (max(per_layer) + 1) * (NODE_HEIGHT + GAP_Y) - GAP_Y // 2
    return Chain(root, nodes, links, width, height)


@dataclass(frozen=True)
class ChainPlace:
    """Where a party sits in a company's chain, as the company may see it: the party and the
    first-tier supplier it reaches the company through, each keyed by name and country so that the
    same firm recorded by two organizations is one row."""

    party: str
    party_label: str
    supplier: str
    supplier_label: str


def _firm_key(party: Party) -> str:
    return f"{' '.join(party.name.split()).casefold()}|{party.country.code or ''}"


def company_chain(company, organization_ids) -> dict[int, ChainPlace]:
    """{party id: place} for every party, in the given organizations, that the organization marked as
    ``company`` or that lies below such a party. Read for the company's figures only after the
    organizations' sharing agreements were checked (``insights.queries``), so not scoped to a user."""
    roots = list(
        Party.objects.filter(organization_id__in=list(organization_ids), company=company).order_by("pk")
    )
    if not roots:
        return {}
    below: dict[int, list[Party]] = {}
    for link in PartyLink.objects.filter(organization_id__in=list(organization_ids)).select_related("seller"):
        below.setdefault(link.buyer_id, []).append(link.seller)
    places: dict[int, ChainPlace] = {}
    for root in roots:
        places[root.pk] = ChainPlace(_firm_key(root), root.name, _firm_key(root), root.name)
        frontier = [(seller, seller) for seller in below.get(root.pk, [])]
        while frontier:  # links cannot loop (services.add_link), so this ends
            following = []
            for party, supplier in frontier:
                if party.pk in places:
                    continue
                places[party.pk] = ChainPlace(
                    _firm_key(party), party.name, _firm_key(supplier), supplier.name
                )
                following += [(seller, supplier) for seller in below.get(party.pk, [])]
            frontier = following
    return places


# Due diligence ----------------------------------------------------------------------------------------


def narratives_of(user, organization, company) -> dict[str, DossierNarrative]:
    """The organization's narrative to a company, by step."""
    rows = tenancy.scoped(DossierNarrative, user, organization, roles=STAFF_ROLES).filter(company=company)
    return {row.step: row for row in rows}


def commitments_of(user, organization, company=None) -> QuerySet[Commitment]:
    rows = tenancy.scoped(Commitment, user, organization, roles=STAFF_ROLES).select_related("company")
    return rows.filter(company=company) if company is not None else rows


def get_commitment(user, commitment_id, organization=None) -> Commitment:
    return tenancy.get_scoped_or_404(
        Commitment, user, commitment_id, organization, roles=STAFF_ROLES, select_related=("company",)
    )


def companies_with_agreements(user, organization) -> list:
    """The companies this organization has agreed to share with for due diligence (live or not)."""
    ids = (
        tenancy.scoped(SharingAgreement, user, organization, roles=STAFF_ROLES)
        .filter(purpose=SharingPurpose.COMPANY_DUE_DILIGENCE)
        .values("recipient_id")
    )
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


def company_for(user, *, pk=None, slug=None):
    """A company the user acts for: 404 without a role there, and for an organization that is not a
    company (the due-diligence pages and API are a company's own)."""
    return get_recipient(user, pk, slug=slug, kind=Organization.Kind.COMPANY)


def sharing_with_company(company, on=None) -> list[int]:
    """The organizations whose live agreement lets this company have their figures for due diligence."""
    return sharing_organization_ids(company, SharingPurpose.COMPANY_DUE_DILIGENCE, "work", on)


@dataclass
class Shared:
    """What organizations that share with a company for due diligence have written and been promised."""

    narratives: dict[str, list[DossierNarrative]]  # by step, one per organization
    commitments: list[Commitment]


def shared_with_company(company, organization_ids) -> Shared:
    """Narratives and commitments of the given organizations for ``company``. Called only with the
    organizations whose live agreement ``insights.queries`` has checked, so not scoped to a user."""
    narratives: dict[str, list[DossierNarrative]] = {}
    for row in (
        DossierNarrative.objects.filter(organization_id__in=list(organization_ids), company=company)
        .exclude(text="")
        .select_related("organization")
        .order_by("organization__name")
    ):
        narratives.setdefault(row.step, []).append(row)
    commitments = list(
        Commitment.objects.filter(organization_id__in=list(organization_ids), company=company).select_related(
            "organization"
        )
    )
    return Shared(narratives, commitments)


# Supplier lists -----------------------------------------------------------------------------------------


def supplier_lists_of(user, organization) -> QuerySet[SupplierList]:
    return (
        tenancy.scoped(SupplierList, user, organization, roles=STAFF_ROLES)
        .select_related("created_by", "import_job")
        .annotate(
            total=Count("rows"),
            linked=Count("rows", filter=Q(rows__outcome__in=[MatchOutcome.LINKED, MatchOutcome.CONFIRMED])),
            waiting=Count("rows", filter=Q(rows__outcome=MatchOutcome.REVIEW)),
            created=Count("rows", filter=Q(rows__outcome=MatchOutcome.CREATED)),
        )
    )


def get_supplier_list(user, list_id, organization=None) -> SupplierList:
    return tenancy.get_scoped_or_404(SupplierList, user, list_id, organization, roles=STAFF_ROLES)


def supplier_rows(user, supplier_list: SupplierList, outcome: str = "") -> QuerySet[SupplierListRow]:
    rows = (
        tenancy.scoped(SupplierListRow, user, supplier_list.organization_id, roles=STAFF_ROLES)
        .filter(supplier_list=supplier_list)
        .select_related("candidate", "party")
    )
    return rows.filter(outcome=outcome) if outcome else rows


def get_supplier_row(user, row_id, supplier_list: SupplierList) -> SupplierListRow:
    """A facility of this list (404 for a row of another list, or of another organization)."""
    row = tenancy.get_scoped_or_404(
        SupplierListRow,
        user,
        row_id,
        supplier_list.organization_id,
        roles=STAFF_ROLES,
        select_related=("candidate", "party"),
    )
    if row.supplier_list_id != supplier_list.pk:
        raise Http404
    return row

"""A world where Union A shares with the network and with Brand C: twelve consenting embroiderers
working for an intermediary in Brand C's chain, three beadworkers for another intermediary, two
embroiderers who did not consent, and Cooperative B (six garment workers) sharing nothing."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from doorstep.bench import synth
from doorstep.members.services import consent as member_consent
from doorstep.members.services import registry as member_registry
from doorstep.organizations import services as org_services
from doorstep.organizations.models import Organization, User
from doorstep.supplychains import services as party_services
from doorstep.work.services import orders as work_services

CONSENTS = ("network_sharing", "company_statistics")


@dataclass
class Shared:
    embroiderers: list
    beadworkers: list
    refusers: list
    garment_workers: list
    brand: object
    supplier: object
    rafiq: object
    meena: object
    outside: object  # an intermediary of Union A outside Brand C's chain


def _member(world, organization, actor, name, sector, consents=CONSENTS, **fields):
    member = member_registry.create_member(
        organization,
        data={"full_name": name, "category": "homeworker", "sectors": [sector], "admin1": "Delhi", **fields},
        actor=actor,
    )
    for purpose in consents:
        member_consent.record_consent(
            member,
            purpose=purpose,
            given=True,
            effective_on=timezone.localdate() - timedelta(days=30),
            method="paper",
            actor=actor,
        )
    return member


def order(world, member, party, *, sector="embroidery", given_on=None, hours="20", rate="10", actor=None):
    return work_services.create_order(
        member.organization,
        data={
            "member": member.pk,
            "party": party.pk,
            "given_on": (given_on or date(2026, 3, 2)).isoformat(),
            "product": "Cushion cover",
            "sector": sector,
            "quantity_ordered": "50",
            "piece_rate": rate,
            "currency": (member.organization.country.code == "IN" and "INR") or "KES",
            "her_hours": hours,
            "deliveries": [{"delivered_on": "2026-03-10", "quantity": "50", "rejected": "5"}],
            "payments": [{"paid_on": "2026-03-30", "amount": "450"}],
        },
        actor=actor or world.admin_a,
    )


@pytest.fixture
def shared(world):
    a, b = world.org_a, world.org_b
    org_services.create_agreement(
        a,
        data={
            "recipient": world.network.pk,
            "purpose": "network_statistics",
            "data_kinds": ["members", "work"],
        },
        actor=world.admin_a,
    )
    org_services.create_agreement(
        a,
        data={"recipient": world.company.pk, "purpose": "company_due_diligence", "data_kinds": ["work"]},
        actor=world.admin_a,
    )

    def party(name, kind, **extra):
        return party_services.create_party(a, data={"name": name, "kind": kind, **extra}, actor=world.admin_a)

    brand = party("Brand C GmbH", "brand", company=world.company.pk)
    supplier = party("Star Exports", "supplier", country="IN")
    rafiq = party("Rafiq", "intermediary", is_person=True)
    meena = party("Meena", "intermediary", is_person=True)
    outside = party("Other Agent", "intermediary", is_person=True)
    for buyer, seller in ((brand, supplier), (supplier, rafiq), (supplier, meena)):
        party_services.add_link(buyer, seller, {"evidence": "document"}, actor=world.admin_a)
    embroiderers = [_member(world, a, world.admin_a, f"Embroiderer {i}", "embroidery") for i in range(12)]
    beadworkers = [_member(world, a, world.admin_a, f"Beadworker {i}", "beadwork") for i in range(3)]
    refusers = [_member(world, a, world.admin_a, f"Refuser {i}", "embroidery", consents=()) for i in range(2)]
    garment = [_member(world, b, world.admin_b, f"Garment {i}", "garments") for i in range(6)]
    for member in embroiderers + refusers:
        order(world, member, rafiq)
    for member in beadworkers:
        order(world, member, meena, sector="beadwork", hours="60")
    order(world, embroiderers[0], outside)
    from doorstep.core import analytics

    analytics.refresh()  # members and work figures come from the analytics engine
    return Shared(embroiderers, beadworkers, refusers, garment, brand, supplier, rafiq, meena, outside)


@pytest.fixture
def federation(db):
    """Two synthetic organizations (India, Pakistan) of 40 members and about 240 orders each."""
    synth.run(
        synth.Plan(members=80, orders_per_member=6, organizations=2, workers=1, submissions_per_member=0)
    )
    organizations = list(Organization.objects.filter(slug__startswith="synth-1-").order_by("slug"))
    admins = [User.objects.get(username=f"{o.slug}-admin") for o in organizations]
    return list(zip(organizations, admins, strict=True))

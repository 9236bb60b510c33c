"""A company's due-diligence figures count members by their consent to company statistics, a purpose
of its own: agreeing that a case may go to a company is not agreeing to be counted for it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from doorstep.core import analytics
from doorstep.members.services import consent
from doorstep.organizations import services as org_services
from doorstep.supplychains import services as party_services

from .fixtures import _member, order

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(world):
    """Brand C's chain down to Rafiq, an intermediary of Union A, who gives work to twelve women."""
    org_services.create_agreement(
        world.org_a,
        data={"recipient": world.company.pk, "purpose": "company_due_diligence", "data_kinds": ["work"]},
        actor=world.admin_a,
    )

    def party(name, kind, **extra):
        return party_services.create_party(
            world.org_a, data={"name": name, "kind": kind, **extra}, actor=world.admin_a
        )

    brand = party("Brand C GmbH", "brand", company=world.company.pk)
    rafiq = party("Rafiq", "intermediary", is_person=True)
    party_services.add_link(brand, rafiq, {"evidence": "document"}, actor=world.admin_a)
    return rafiq


def _party_rows(api, world, rafiq) -> list[dict]:
    body = api(world.company_user).get(f"/api/v1/due-diligence/{world.company.pk}/dossier").json()
    return [
        row
        for row in body["tables"]["party"]["rows"]
        if row["labels"].get("party") == rafiq.name and not row["margin"] and not row["suppressed"]
    ]


def test_consent_to_a_company_case_does_not_count_her_in_company_figures(world, chain, api):
    for i in range(12):
        member = _member(
            world, world.org_a, world.admin_a, f"Embroiderer {i}", "embroidery", ("company_case",)
        )
        order(world, member, chain)
    analytics.refresh()
    assert _party_rows(api, world, chain) == []


def test_consent_to_company_statistics_counts_her_in_company_figures(world, chain, api):
    for i in range(12):
        member = _member(
            world, world.org_a, world.admin_a, f"Embroiderer {i}", "embroidery", ("company_statistics",)
        )
        order(world, member, chain)
    analytics.refresh()
    assert len(_party_rows(api, world, chain)) == 1


def test_a_withdrawal_of_company_statistics_counts_at_once(world, chain, api):
    members = [
        _member(world, world.org_a, world.admin_a, f"Embroiderer {i}", "embroidery", ("company_statistics",))
        for i in range(10)
    ]
    for member in members:
        order(world, member, chain)
    analytics.refresh()
    assert len(_party_rows(api, world, chain)) == 1
    consent.record_consent(
        members[0],
        purpose="company_statistics",
        given=False,
        effective_on=timezone.localdate() - timedelta(days=1),
        method="verbal",
        actor=world.admin_a,
    )
    assert _party_rows(api, world, chain) == []  # nine left: under k, withheld without a refresh

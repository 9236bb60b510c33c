"""Coverage as evidence: social-protection figures leave an organization only through the aggregates
door, as the dataset ``protection``, for members who consent, with small cells withheld."""

from datetime import timedelta

import pytest
from django.utils import timezone

from doorstep.advocacy import services as reports
from doorstep.core import analytics, disclosure
from doorstep.members.services import consent
from doorstep.organizations.models import SharingAgreement
from doorstep.protection import services
from doorstep.protection.models import Scheme

pytestmark = pytest.mark.django_db


def _apply(world, member, key, status):
    application = services.start_application(
        world.org_a,
        services.ApplicationInput(member_id=member.pk, scheme_id=Scheme.objects.get(reference_key=key).pk),
        actor=world.admin_a,
    )
    if status != "to_prepare":
        services.set_status(application, status, actor=world.admin_a)


@pytest.fixture
def covered(world, shared):
    SharingAgreement.objects.filter(recipient=world.network).update(
        data_kinds=["members", "work", "protection"]
    )
    for i, member in enumerate(shared.embroiderers):
        _apply(world, member, "in-pm-sym", "accepted" if i < 9 else "submitted")
    for member in shared.beadworkers + shared.refusers:
        _apply(world, member, "in-eshram", "rejected")
    analytics.refresh()
    return shared


def _rows(body):
    return {tuple(row["labels"].values()): row for row in body["rows"]}


def test_coverage_by_scheme_counts_each_consenting_member_once_and_withholds_small_cells(world, covered, api):
    response = api(world.analyst).get(
        "/api/v1/aggregates/protection", {"recipient_id": world.network.pk, "group_by": "scheme"}
    )
    assert response.status_code == 200
    rows = _rows(response.json())
    name = Scheme.objects.get(reference_key="in-eshram").name
    # 3 consenting beadworkers under e-Shram (the 2 refusers do not count): withheld, every figure.
    assert rows[(name,)]["suppressed"] == "primary"
    assert rows[(name,)]["figures"]["enrolled_percent"] is None
    total = rows[("All",)]["figures"]
    assert abs(total["workers"] - 15) <= disclosure.MAX_DEVIATION
    assert total["enrolled_percent"] == "60.0"  # 9 of 15 enrolled
    assert total["applied_percent"] == "100.0"


def test_coverage_is_not_shared_without_an_agreement_that_lists_it(world, shared, api):
    body = (
        api(world.analyst)
        .get("/api/v1/aggregates/protection", {"recipient_id": world.network.pk, "group_by": "sector"})
        .json()
    )
    assert body["rows"] == [] and body["reason"]


def test_coverage_refuses_a_dimension_it_does_not_have(world, covered, api):
    response = api(world.analyst).get(
        "/api/v1/aggregates/protection", {"recipient_id": world.network.pk, "group_by": "problem"}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "group_by"


def test_a_report_to_the_ilo_takes_coverage_as_evidence_with_small_cells_withheld(world, covered):
    for member in covered.embroiderers + covered.beadworkers:
        consent.record_consent(
            member,
            purpose="research",
            given=True,
            effective_on=timezone.localdate() - timedelta(days=1),
            method="paper",
            actor=world.admin_a,
        )
    analytics.refresh()
    report = reports.save_report(
        world.org_a, data={"title": "C177", "convention": "C177", "country": "IN"}, actor=world.admin_a
    )
    reports.add_report_section(
        report,
        data={"kind": "evidence", "heading": "Coverage", "dataset": "protection", "group_by": "scheme_kind"},
        actor=world.admin_a,
    )
    rows = {
        row[0]: row
        for row in reports.save_version(report, actor=world.admin_a).content["sections"][0]["table"]["rows"]
    }
    assert rows["All"][1] == "15"  # her own organization's figures stay exact
    assert rows["Registration as a worker"][1] == ""  # 3 beadworkers: withheld

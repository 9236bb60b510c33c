"""The aggregates door: who may ask, who is counted, what is withheld, and that every answer says so."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from doorstep.core import analytics, disclosure
from doorstep.core.models import AuditEvent
from doorstep.insights import queries
from doorstep.members.services import consent as member_services
from doorstep.organizations import services as org_services
from doorstep.organizations.models import SharingAgreement

pytestmark = pytest.mark.django_db


def _get(client, dataset="members", **params):
    return client.get(f"/api/v1/aggregates/{dataset}", params)


def _near(shown, true):
    """A count as shown outside the organization: the true one perturbed (cell-key noise)."""
    return abs(shown - true) <= disclosure.MAX_DEVIATION


def _rows(body):
    return {tuple(row["labels"].values()): row for row in body["rows"]}


def test_the_network_sees_consenting_members_of_sharing_affiliates_with_small_cells_withheld(
    world, shared, api
):
    body = _get(api(world.analyst), recipient_id=world.network.pk, group_by="sector").json()
    assert body["k"] == 10 and body["purpose"] == "network_statistics"
    assert [o["name"] for o in body["organizations"]] == ["Union A"]  # Cooperative B shares nothing
    rows = _rows(body)
    # 12 embroiderers and 3 beadworkers consented; the 2 who did not are not counted anywhere.
    assert rows[("Beadwork",)]["suppressed"] == "primary"
    assert rows[("Beadwork",)]["figures"]["workers"] is None
    # One withheld cell and a total would give it away: another is withheld with it.
    assert body["suppressed_cells"] == 2
    shown = [row for row in body["rows"] if not row["suppressed"]]
    # Every sector of the code list is a row; those shown hold none or at least k workers.
    assert shown
    assert all(row["figures"]["workers"] == 0 or row["figures"]["workers"] >= 10 for row in shown)
    assert _near(rows[("All",)]["figures"]["workers"], 15)


def test_two_dimensions_with_totals_never_give_a_small_cell_away(world, shared, api):
    body = _get(
        api(world.analyst), dataset="work", recipient_id=world.network.pk, group_by="sector,category"
    ).json()
    rows = _rows(body)
    assert rows[("Beadwork", "Sub-contracted homeworker")]["suppressed"] == "primary"
    withheld = [row for row in body["rows"] if row["suppressed"]]
    # Beadwork's row total equals its one cell: withheld too, and so is enough of embroidery's.
    assert len(withheld) >= 2
    for row in body["rows"]:
        if not row["suppressed"]:
            assert row["figures"]["workers"] == 0 or row["figures"]["workers"] >= body["k"]


def test_work_figures_are_medians_over_workers_and_rates(world, shared, api):
    body = _get(api(world.analyst), dataset="work", recipient_id=world.network.pk, group_by="sector").json()
    total = _rows(body)[("All",)]["figures"]
    # Beadwork (3) is withheld, so embroidery is too: the total would give beadwork away.
    assert _rows(body)[("Embroidery",)]["suppressed"] == "complementary"
    assert _near(total["workers"], 15) and _near(total["orders"], 16)  # one embroiderer had two orders
    assert total["currency"] == "INR" and total["median_net_hourly"] is not None
    assert total["rejection_percent"] == "10.0" and total["cancellation_percent"] == "0.0"
    assert total["median_payment_delay_days"] == "20.0"
    assert not [name for name in total if name.startswith(("min_", "max_", "minimum", "maximum"))]


def test_a_non_sharing_affiliate_expired_or_revoked_agreement_and_withdrawn_consent(world, shared, api):
    client = api(world.analyst)
    body = _get(
        client, recipient_id=world.network.pk, group_by="sector", organization_id=world.org_b.pk
    ).json()
    assert body["rows"] == [] and "does not share" in body["reason"]

    withdrawn = shared.embroiderers[0]
    member_services.record_consent(
        withdrawn,
        purpose="network_sharing",
        given=False,
        effective_on=timezone.localdate(),
        method="verbal",
        actor=world.admin_a,
    )
    exact = queries.exact_figures(queries.ask(world.network, dataset="members", group_by="category"))
    assert next(row for row in exact.rows if row.key == ("__total__",)).figures["workers"] == 14

    agreement = SharingAgreement.objects.get(recipient=world.network)
    SharingAgreement.objects.filter(pk=agreement.pk).update(
        starts_on=timezone.localdate() - timedelta(days=60), ends_on=timezone.localdate() - timedelta(days=1)
    )
    body = _get(client, recipient_id=world.network.pk, group_by="sector").json()
    assert body["rows"] == [] and body["organizations"] == [] and "No organization" in body["reason"]

    SharingAgreement.objects.filter(pk=agreement.pk).update(ends_on=None)
    assert _get(client, recipient_id=world.network.pk, group_by="sector").json()["rows"]
    org_services.revoke_agreement(agreement, actor=world.admin_a)
    assert _get(client, recipient_id=world.network.pk, group_by="sector").json()["rows"] == []


def test_the_highest_k_of_the_organizations_taking_part_applies(world, shared, api):
    org_services.set_disclosure_k(world.org_a, 13, actor=world.admin_a)
    body = _get(api(world.analyst), recipient_id=world.network.pk, group_by="sector").json()
    assert body["k"] == 13
    assert _rows(body)[("Embroidery",)]["suppressed"] == "primary"  # 12 < 13


def test_the_company_sees_only_its_own_chain_by_work_giver_and_supplier(world, shared, api):
    client = api(world.company_user)
    body = _get(client, dataset="work", recipient_id=world.company.pk, group_by="party").json()
    assert body["purpose"] == "company_due_diligence"
    rows = _rows(body)
    assert set(rows) == {("Rafiq",), ("Meena",), ("All",)}  # "Other Agent" is not in Brand C's chain
    assert rows[("Meena",)]["suppressed"] == "primary"
    assert rows[("Rafiq",)]["suppressed"] == "complementary"
    # 15 workers and their 15 orders in the chain: Other Agent's order is not Brand C's business.
    assert _near(rows[("All",)]["figures"]["workers"], 15) and _near(rows[("All",)]["figures"]["orders"], 15)
    body = _get(client, dataset="work", recipient_id=world.company.pk, group_by="supplier").json()
    assert [row["labels"]["supplier"] for row in body["rows"]] == ["Star Exports", "All"]
    assert _near(body["rows"][0]["figures"]["workers"], 15) and _near(
        body["rows"][0]["figures"]["orders"], 15
    )
    text = str(body)
    for member in shared.embroiderers + shared.beadworkers:
        assert f"#{member.number}" not in text
    assert "Embroiderer" not in text and "Beadworker" not in text


@pytest.mark.parametrize(
    ("who", "recipient"),
    [
        ("company_user", "network"),  # a company user asking for the network's figures
        ("analyst", "company"),  # an analyst asking for a company's
        ("admin_b", "network"),  # an affiliate's admin holds no role in the network
        ("worker_a", "network"),
        ("admin_a", "company"),
        ("company_user", "org_a"),  # a union is no recipient
    ],
)
def test_nobody_reads_another_recipients_figures(world, shared, api, who, recipient):
    response = _get(api(getattr(world, who)), recipient_id=getattr(world, recipient).pk, group_by="sector")
    assert response.status_code == 404
    assert b"Embroid" not in response.content


def test_another_companys_chain_is_empty_and_says_why(world, shared, api):
    from doorstep.core.roles import Role
    from doorstep.organizations.services import add_person, create_organization

    other = create_organization(name="Brand D", slug="brand-d", kind="company", actor=world.admin)
    add_person(other, username="claire", role=Role.COMPANY, actor=world.admin)
    body = _get(api(world.company_user), dataset="work", recipient_id=other.pk, group_by="party").json()
    assert body["rows"] == [] and body["reason"]


def test_bad_requests_name_the_parameter(world, shared, api):
    client = api(world.analyst)
    response = _get(client, dataset="salaries", recipient_id=world.network.pk, group_by="sector")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["path.dataset"]
    assert "'members', 'work', 'grievances' or 'protection'" in response.json()["errors"][0]["message"]
    response = _get(client, dataset="work", recipient_id=world.network.pk, group_by="party,party")
    assert response.status_code == 422
    assert "group_by" in {e["field"] for e in response.json()["errors"]}
    # Work givers are shown only to the company whose chain they are in.
    response = _get(client, dataset="work", recipient_id=world.network.pk, group_by="party")
    assert response.status_code == 422 and "party" in response.json()["errors"][0]["message"]
    response = _get(client, recipient_id=world.network.pk, group_by="sector", purpose="company_due_diligence")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "purpose"


def test_each_release_is_audited_for_the_recipient_and_the_sharing_organizations(world, shared, api):
    _get(api(world.analyst), recipient_id=world.network.pk, group_by="sector")
    released = AuditEvent.objects.get(action="aggregates.released")
    assert released.organization_id == world.network.pk and released.metadata["group_by"] == ["sector"]
    assert AuditEvent.objects.get(action="aggregates.shared").organization_id == world.org_a.pk


def test_the_shared_figures_page_and_its_csv(world, shared, login):
    client = login(world.analyst)
    home = client.get("/")
    assert b"/orgs/test-network/shared/" in home.content
    page = client.get("/orgs/test-network/shared/", {"dataset": "members", "group_by": "sector"})
    assert page.status_code == 200
    assert b"Withheld: fewer than k workers" in page.content
    response = client.get(
        "/orgs/test-network/shared/", {"dataset": "members", "group_by": "sector", "format": "csv"}
    )
    assert response["Content-Disposition"].startswith("attachment")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["Sector", "Workers", "Withheld"]
    assert ["Beadwork", "", "fewer than k workers"] in lines
    assert ["k (smallest group shown)", "10"] in lines
    assert (
        client.get("/orgs/test-network/shared/", {"dataset": "members", "group_by": "nope"}).status_code
        == 422
    )


def test_a_table_by_one_dimension_is_drawn_with_what_it_shows(world, shared, login):
    """Members by a dimension: the chart's bars are the cells shown, never a withheld one; it
    downloads as SVG, PNG and CSV, each an audited release."""
    client = login(world.analyst)
    asked = {"dataset": "members", "group_by": "category"}
    page = client.get("/orgs/test-network/shared/", asked).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "Workers · Category" in page
    drawn = client.get("/orgs/test-network/shared/", asked | {"chart": "csv"})
    drawn_rows = list(csv.reader(io.StringIO(drawn.content.decode())))[1:]
    assert [label for label, _count in drawn_rows] == ["Sub-contracted homeworker"]  # not the empty ones
    assert abs(int(drawn_rows[0][1]) - 15) <= 2  # cell-key noise
    png = client.get("/orgs/test-network/shared/", asked | {"chart": "png"})
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert client.get("/orgs/test-network/shared/", asked | {"chart": "gif"}).status_code == 404
    channels = AuditEvent.objects.filter(action="aggregates.released").values_list(
        "metadata__channel", flat=True
    )
    assert {"chart-csv", "chart-png"} <= set(channels)
    # By sector both cells are withheld (3 beadworkers, and the embroiderers that would give them
    # away): nothing to draw, the table alone.
    by_sector = client.get("/orgs/test-network/shared/", {"dataset": "members", "group_by": "sector"})
    assert "<svg" not in by_sector.content.decode() and "Withheld" in by_sector.content.decode()
    assert (
        client.get(
            "/orgs/test-network/shared/", {"dataset": "members", "group_by": "sector", "chart": "svg"}
        ).status_code
        == 404
    )


def test_the_page_is_not_for_a_union_or_a_worker(world, shared, login):
    assert login(world.admin_a).get("/orgs/union-a/shared/").status_code == 404
    assert login(world.worker_a).get("/orgs/test-network/shared/").status_code == 404
    assert b"/shared/" not in login(world.admin_a).get("/").content


def test_one_organizations_figures_are_its_row_of_the_table_by_organization(world, shared, api):
    # Cooperative B shares too now; Union A's embroidery row is read in the table of both.
    org_services.create_agreement(
        world.org_b,
        data={"recipient": world.network.pk, "purpose": "network_statistics", "data_kinds": ["members"]},
        actor=world.admin_b,
    )
    client = api(world.analyst)
    both = _get(client, recipient_id=world.network.pk, group_by="organization,sector").json()
    alone = _get(
        client, recipient_id=world.network.pk, group_by="sector", organization_id=world.org_a.pk
    ).json()
    assert [o["name"] for o in alone["organizations"]] == ["Union A"]
    expected = {
        row["labels"]["sector"]: row["suppressed"]
        for row in both["rows"]
        if row["key"]["organization"] == world.org_a.pk
    }
    assert {row["labels"]["sector"]: row["suppressed"] for row in alone["rows"]} == expected
    response = _get(
        client, recipient_id=world.network.pk, group_by="sector,category", organization_id=world.org_a.pk
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "organization_id"


def test_grievance_figures_count_each_worker_once_and_keep_to_the_chain(world, shared, api):
    from doorstep.grievances.services import cases as grievances

    SharingAgreement.objects.filter(recipient=world.network).update(
        data_kinds=["members", "work", "grievances"]
    )
    grievances.create_case(
        world.org_a,
        data={
            "kind": "collective",
            "category": "late_payment",
            "members": [m.pk for m in shared.embroiderers] + [shared.refusers[0].pk],
            "parties": [shared.rafiq.pk],
            "summary": "Rafiq pays months late",
        },
        actor=world.admin_a,
    )
    for member in shared.beadworkers:
        grievances.create_case(
            world.org_a,
            data={
                "category": "low_rates",
                "members": [member.pk],
                "parties": [shared.outside.pk],
                "summary": "Low",
            },
            actor=world.admin_a,
        )
    analytics.refresh()
    body = _get(
        api(world.analyst), dataset="grievances", recipient_id=world.network.pk, group_by="problem"
    ).json()
    rows = _rows(body)
    # 12 consenting embroiderers in one case (the refuser is not counted); 3 beadworkers in 3 cases.
    assert rows[("Piece rates too low to live on",)]["suppressed"] == "primary"
    total = rows[("All",)]["figures"]
    assert _near(total.pop("workers"), 15) and _near(total.pop("cases"), 4)
    assert total == {
        "resolved_percent": "0.0",
        "median_days_to_resolution": None,
    }
    # The company sees only cases against parties in its chain: Rafiq's, not the outside agent's.
    SharingAgreement.objects.filter(recipient=world.company).update(data_kinds=["work", "grievances"])
    body = _get(
        api(world.company_user), dataset="grievances", recipient_id=world.company.pk, group_by="party"
    ).json()
    assert [row["labels"]["party"] for row in body["rows"]] == ["Rafiq", "All"]
    assert _near(body["rows"][0]["figures"]["workers"], 12) and _near(body["rows"][0]["figures"]["cases"], 1)

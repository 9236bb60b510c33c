"""A fund's figures for donors and the network: cells under k people withheld, never an amount or a
total that would single a woman out."""

from doorstep.relief import services

CARD = "http://testserver/orgs/union-a/login/"


def test_figures_about_fewer_than_k_people_are_withheld(world, api, register, cash_round):
    members = [
        register(name, group="Ward 5", admin1=place, phones=[phone])
        for name, place, phone in (
            ("Sunita Devi", "Delhi", "+919812345671"),
            ("Rekha Bai", "Delhi", "+919812345672"),
            ("Meena Kumari", "Bihar", "+919812345673"),
        )
    ]
    made, _members = cash_round(members=members)
    for member in members:
        services.record_payment(
            made,
            services.PaymentIn(member.pk, "card", "2026-03-11", CARD, member.number),
            actor=world.admin_a,
        )
    report = api(world.admin_a).get(f"/api/v1/relief/funds/{made.relief_list.fund_id}/report").json()
    assert report["k"] == 10
    assert report["people"] is None and report["amount"] is None and report["median_days_to_payment"] is None
    assert {row["key"]: row["suppressed"] for row in report["by_place"]} == {
        "Bihar": "primary",
        "Delhi": "primary",
    }
    assert all(
        row["people"] is None and row["amount"] is None for row in report["by_place"] + report["by_category"]
    )


def test_a_contributing_company_reads_the_protected_report(world, api, fund):
    found = fund()
    services.add_source(
        found, services.SourceIn(kind="company", company_id=world.company.pk), actor=world.admin_a
    )
    response = api(world.company_user).get(f"/api/v1/relief/funds/{found.pk}/report")
    assert response.status_code == 200 and response.json()["people"] is None
    assert api(world.company_user).get(f"/api/v1/relief/funds/{found.pk}").status_code == 404


def test_a_company_that_did_not_contribute_gets_404(world, api, fund):
    found = fund()
    assert api(world.company_user).get(f"/api/v1/relief/funds/{found.pk}/report").status_code == 404

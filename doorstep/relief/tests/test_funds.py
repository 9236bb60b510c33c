"""The fund's ledger: the balance never goes negative (the database says so too), entries are
append-only and corrected by reversal, a company's contribution is linked to its commitment."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction

from doorstep.organizations import services as org_services
from doorstep.relief import services
from doorstep.relief.models import Fund, LedgerEntry, Payment
from doorstep.supplychains import services as chain_services


def test_rejects_a_payout_beyond_the_balance_and_writes_nothing(world, api, cash_round, fund):
    small = fund(received="500")
    made, members = cash_round(found=small)
    response = api(world.admin_a).post(
        f"/api/v1/relief/rounds/{made.pk}/payments",
        {
            "member_id": members[0].pk,
            "evidence": "card",
            "paid_on": "2026-03-11",
            "card_text": "http://testserver/orgs/union-a/login/",
            "member_number": members[0].number,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "beyond_balance"
    assert "500.00" in response.json()["detail"]
    small.refresh_from_db()
    assert small.paid_out == 0 and small.balance == D("500")
    assert not Payment.objects.exists()
    assert not LedgerEntry.objects.filter(kind="paid_out").exists()


def test_the_database_refuses_a_negative_balance_whatever_writes_it(world, fund):
    found = fund(received="100")
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=found.pk).update(paid_out=D("100.01"))
    found.refresh_from_db()
    assert found.balance == D("100")


def test_refuses_returning_more_than_the_balance(world, fund):
    found = fund(received="100")
    with pytest.raises(services.ValidationError) as raised:
        services.record_entry(
            found, services.EntryIn("returned", "150", date(2026, 3, 2)), actor=world.admin_a
        )
    assert raised.value.code == "beyond_balance"
    assert LedgerEntry.objects.filter(kind="returned").count() == 0


def test_received_money_needs_its_source(world, fund):
    found = fund(received="")
    with pytest.raises(services.ValidationError) as raised:
        services.record_entry(
            found, services.EntryIn("received", "10", date(2026, 3, 2)), actor=world.admin_a
        )
    assert raised.value.errors[0].field == "source_id"


def test_a_payout_is_not_recorded_as_a_plain_entry(world, api, fund):
    found = fund()
    response = api(world.admin_a).post(
        f"/api/v1/relief/funds/{found.pk}/entries",
        {"kind": "paid_out", "amount": "10", "on": "2026-03-02"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.payload.kind"


def test_it_corrects_an_entry_by_its_reversal_and_keeps_both(world, api, fund):
    found = fund(received="1000")
    entry = LedgerEntry.objects.get(fund=found, kind="received")
    response = api(world.admin_a).post(
        f"/api/v1/relief/funds/{found.pk}/entries/{entry.pk}/reverse",
        {"reason": "counted twice"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["amount"] == "-1000.00" and response.json()["reverses"] == entry.pk
    found.refresh_from_db()
    assert found.received == 0 and LedgerEntry.objects.filter(fund=found).count() == 2


def test_refuses_a_reversal_that_would_leave_the_balance_negative(world, cash_round, fund):
    found = fund(received="1000")
    made, members = cash_round(found=found)
    services.record_payment(
        made,
        services.PaymentIn(
            members[0].pk, "card", "2026-03-11", "http://x/orgs/union-a/login/", members[0].number
        ),
        actor=world.admin_a,
    )
    received = LedgerEntry.objects.get(fund=found, kind="received")
    with pytest.raises(services.ValidationError) as raised:
        services.reverse_entry(found, received.pk, reason="bounced", actor=world.admin_a)
    assert raised.value.code == "beyond_balance"
    found.refresh_from_db()
    assert found.received == D("1000") and not LedgerEntry.objects.filter(reverses=received).exists()


def test_refuses_reversing_an_entry_twice(world, fund):
    found = fund(received="1000")
    entry = LedgerEntry.objects.get(fund=found, kind="received")
    services.reverse_entry(found, entry.pk, reason="counted twice", actor=world.admin_a)
    with pytest.raises(services.ValidationError) as raised:
        services.reverse_entry(found, entry.pk, reason="again", actor=world.admin_a)
    assert raised.value.code == "already_reversed"


def test_refuses_reversing_a_payout(world, cash_round, fund):
    found = fund()
    made, members = cash_round(found=found)
    payment = services.record_payment(
        made,
        services.PaymentIn(
            members[0].pk, "card", "2026-03-11", "http://x/orgs/union-a/login/", members[0].number
        ),
        actor=world.admin_a,
    )
    with pytest.raises(services.ValidationError) as raised:
        services.reverse_entry(found, payment.entry_id, reason="oops", actor=world.admin_a)
    assert raised.value.code == "is_payout"


def _commitment(world, organization):
    """Brand C's commitment to an organization that shares with it for due diligence."""
    admin = world.admin_a if organization == world.org_a else world.admin_b
    org_services.create_agreement(
        organization,
        data={"recipient": world.company.pk, "purpose": "company_due_diligence", "data_kinds": ["work"]},
        actor=admin,
    )
    return chain_services.add_commitment(
        world.company,
        organization,
        {
            "step": "remediate",
            "action": "A one-time relief contribution",
            "owner": "CSR",
            "deadline": "2026-06-30",
        },
        actor=world.company_user,
    )


def test_it_links_a_company_contribution_to_its_commitment(world, api, fund):
    found = fund()
    commitment = _commitment(world, world.org_a)
    response = api(world.admin_a).post(
        f"/api/v1/relief/funds/{found.pk}/sources",
        {
            "kind": "company",
            "company_id": world.company.pk,
            "commitment_id": commitment.pk,
            "pledged": "5000",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["commitment_id"] == commitment.pk and response.json()["name"] == "Brand C"


def test_refuses_a_commitment_made_to_another_organization(world, api, fund):
    found = fund()
    commitment = _commitment(world, world.org_b)
    response = api(world.admin_a).post(
        f"/api/v1/relief/funds/{found.pk}/sources",
        {"kind": "company", "company_id": world.company.pk, "commitment_id": commitment.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "commitment_id"
    assert found.sources.count() == 1

"""A mobile-money statement imported through core.imports and reconciled line by line: by the
transaction id, else by the phone number; a line pointing at two people is a row error with the
reason; unmatched lines are kept and listed."""

import pytest
from django.db import transaction

from doorstep.core import imports
from doorstep.relief import services
from doorstep.relief.models import Payment, StatementLine

CSV = (
    b"Receipt No,Phone,Paid out,Completion Time\n"
    b"QKJ481XZ,,1000,2026-03-11\n"
    b",+919812345679,1000,11/03/2026\n"
    b"ZZZ999,,500,2026-03-12\n"
    b"QKJ481XZ,+919812345679,1000,2026-03-11\n"
)


@pytest.fixture
def paid(world, register, cash_round):
    sunita = register("Sunita Devi", group="Ward 5", phones=["+919812345678"])
    rekha = register("Rekha Bai", group="Ward 5", phones=["+919812345679"])
    made, _members = cash_round(method="mobile_money", members=[sunita, rekha])
    for member, reference in ((sunita, "QKJ481XZ"), (rekha, "QKJ481YY")):
        services.record_payment(
            made,
            services.PaymentIn(member.pk, "transaction", "2026-03-11", transaction_id=reference),
            actor=world.admin_a,
        )
    return sunita, rekha


def _import(world, run_jobs, data=CSV):
    with run_jobs():
        job = imports.start(
            world.org_a, target_name="relief_statement", filename="mpesa.csv", data=data, actor=world.admin_a
        )
        with transaction.atomic():
            imports.choose_mapping(job, job.mapping, actor=world.admin_a)
    job.refresh_from_db()
    if job.valid_rows:
        with run_jobs():
            with transaction.atomic():
                imports.commit(job, actor=world.admin_a)
    job.refresh_from_db()
    return job


def test_a_line_pointing_at_two_people_is_a_row_error_with_the_reason(world, run_jobs, paid):
    job = _import(world, run_jobs)
    assert [(e["row"], e["field"]) for e in job.errors] == [(5, "phone")]
    assert "2 different members" in job.errors[0]["message"]
    assert not StatementLine.objects.filter(row=5).exists()


def test_it_matches_by_transaction_id_and_by_phone(world, run_jobs, paid):
    sunita, rekha = paid
    _import(world, run_jobs)
    matched = {
        line.row: line.payment.member_id for line in StatementLine.objects.filter(payment__isnull=False)
    }
    assert matched == {2: sunita.pk, 3: rekha.pk}


def test_unmatched_lines_are_listed(world, api, run_jobs, paid):
    job = _import(world, run_jobs)
    response = api(world.admin_a).get(f"/api/v1/relief/statements/{job.pk}/lines?matched=false")
    assert [(item["row"], item["amount"]) for item in response.json()["items"]] == [(4, "500.00")]


def test_the_same_statement_again_reconciles_nothing_twice(world, run_jobs, paid):
    _import(world, run_jobs)
    again = _import(world, run_jobs)
    assert again.skipped_rows == 3
    assert StatementLine.objects.filter(payment__isnull=False).count() == 2
    assert StatementLine.objects.filter(payment__isnull=True).count() == 1
    assert Payment.objects.count() == 2


def test_the_reconciliation_page_lists_both_kinds(world, login, run_jobs, paid):
    job = _import(world, run_jobs)
    page = login(world.organizer_a).get(f"/orgs/union-a/relief/statements/{job.pk}/").content.decode()
    assert "ZZZ" not in page  # transaction ids are not shown back
    assert "500" in page and "#1" in page

"""The demo cooperative's relief: a fund with the brand's contribution, an approved list, payments
and a reconciled statement, loaded once."""

from django.core.management import call_command

from doorstep.relief.models import Fund, Payment, ReliefList, StatementLine


def test_the_demo_cooperative_has_a_reconciled_relief_fund(db):
    call_command("load_demo")
    call_command("load_demo")
    fund = Fund.objects.get(organization__slug="demo-cooperative")
    assert fund.sources.filter(kind="company", company__slug="demo-brand").exists()
    relief_list = ReliefList.objects.get(fund=fund)
    assert relief_list.status == "approved" and relief_list.approved_by != relief_list.drawn_by
    paid = Payment.objects.filter(round__relief_list=relief_list).count()
    assert paid >= 1 and fund.balance >= 0
    assert StatementLine.objects.filter(payment__isnull=False).count() == paid
    assert StatementLine.objects.filter(payment__isnull=True).count() == 1

"""Her export holds what relief keeps about her (her transaction id opened); her erasure removes
her lists, codes, payments and network digests, while the fund's ledger keeps its payouts."""

import io
import json
import zipfile
from datetime import date

from doorstep.members.services import rights
from doorstep.members.services.consent import record_consent
from doorstep.relief import services
from doorstep.relief.models import HandoverCode, LedgerEntry, ListEntry, NetworkDigest, Payment


def _paid(world, register, cash_round):
    sunita = register("Sunita Devi", group="Ward 5", phones=["+919812345678"])
    made, _members = cash_round(method="mobile_money", members=[sunita])
    services.record_payment(
        made,
        services.PaymentIn(sunita.pk, "transaction", "2026-03-11", transaction_id="QKJ481XZ"),
        actor=world.admin_a,
    )
    return sunita, made


def test_her_export_holds_her_lists_and_payments(world, register, cash_round):
    sunita, _made = _paid(world, register, cash_round)
    archive = zipfile.ZipFile(io.BytesIO(rights.export_member(sunita, actor=world.admin_a)))
    sections = json.loads(archive.read("member.json"))
    assert sections["relief.lists"][0]["list"] == "Ward 5"
    assert sections["relief.payments"][0]["transaction_id"] == "QKJ481XZ"


def test_her_erasure_removes_her_relief_rows_and_keeps_the_ledger(world, register, cash_round):
    sunita, made = _paid(world, register, cash_round)
    record_consent(
        sunita,
        purpose="network_sharing",
        given=True,
        effective_on=date(2026, 1, 1),
        method="paper",
        actor=world.admin_a,
    )
    services.draw_list(
        made.relief_list.fund,
        services.ListIn(
            "Shared", [{"field": "group", "op": "in", "value": ["Ward 5"]}], "10", world.network.pk
        ),
        actor=world.admin_a,
    )
    assert NetworkDigest.objects.exists()
    rights.erase_member(sunita, actor=world.admin_a)
    for model in (ListEntry, Payment, HandoverCode, NetworkDigest):
        assert not model.objects.exists(), model.__name__
    fund = made.relief_list.fund
    fund.refresh_from_db()
    assert fund.paid_out == 1000 and LedgerEntry.objects.filter(kind="paid_out").count() == 1

"""Handing relief over: once per person and round (the database refuses a second, even at the same
moment), proved by her card, a one-time code or a sealed mobile-money transaction id."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from doorstep.relief import services
from doorstep.relief.models import HandoverCode, LedgerEntry, Payment

CARD = "http://testserver/orgs/union-a/login/"


def _pay(client, made, member, **extra):
    body = {
        "member_id": member.pk,
        "evidence": "card",
        "paid_on": "2026-03-11",
        "card_text": CARD,
        "member_number": member.number,
        **extra,
    }
    return client.post(f"/api/v1/relief/rounds/{made.pk}/payments", body, content_type="application/json")


def test_it_records_a_handover_by_her_card(world, api, cash_round):
    made, (sunita,) = cash_round()
    response = _pay(api(world.organizer_a), made, sunita)
    assert response.status_code == 201
    assert response.json()["amount"] == {"amount": "1000.00", "currency": "INR"}
    fund = made.relief_list.fund
    fund.refresh_from_db()
    assert fund.paid_out == 1000 and LedgerEntry.objects.filter(kind="paid_out").count() == 1


def test_refuses_paying_her_twice_in_a_round(world, api, cash_round):
    made, (sunita,) = cash_round()
    _pay(api(world.organizer_a), made, sunita)
    response = _pay(api(world.organizer_a), made, sunita)
    assert response.status_code == 422 and response.json()["code"] == "already_paid"
    fund = made.relief_list.fund
    fund.refresh_from_db()
    assert Payment.objects.count() == 1 and fund.paid_out == 1000


def test_the_database_refuses_a_second_payment_for_the_same_person_and_round(world, cash_round):
    made, (sunita,) = cash_round()
    payment = services.record_payment(
        made, services.PaymentIn(sunita.pk, "card", "2026-03-11", CARD, sunita.number), actor=world.admin_a
    )
    second_entry = LedgerEntry.objects.create(
        organization=world.org_a, fund=made.relief_list.fund, kind="allocated", amount=1, on=date(2026, 3, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            organization=world.org_a,
            round=made,
            member=sunita,
            amount=1,
            paid_on=payment.paid_on,
            evidence="card",
            entry=second_entry,
        )


@pytest.mark.postgres
def test_two_handovers_at_the_same_moment_make_one_payment(committed_db, world, cash_round):
    made, (sunita,) = cash_round()
    barrier = threading.Barrier(2)
    outcomes = []

    def hand_over():
        try:
            barrier.wait()
            services.record_payment(
                made,
                services.PaymentIn(sunita.pk, "card", "2026-03-11", CARD, sunita.number),
                actor=world.admin_a,
            )
            outcomes.append("paid")
        except services.ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=hand_over) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_paid", "paid"]
    fund = made.relief_list.fund
    fund.refresh_from_db()
    assert Payment.objects.filter(round=made).count() == 1 and fund.paid_out == 1000


def test_refuses_a_card_of_another_organization(world, api, cash_round):
    made, (sunita,) = cash_round()
    response = _pay(api(world.organizer_a), made, sunita, card_text="http://testserver/orgs/coop-b/login/")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "card_text"
    assert not Payment.objects.exists()


def test_refuses_a_card_whose_number_is_not_hers(world, api, cash_round):
    made, (sunita,) = cash_round()
    response = _pay(api(world.organizer_a), made, sunita, member_number=sunita.number + 1)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "member_number"


def test_refuses_a_member_not_on_the_list(world, api, register, cash_round):
    made, _members = cash_round()
    stranger = register("Rekha Bai", group="Ward 6")
    response = _pay(api(world.organizer_a), made, stranger)
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_it_takes_a_one_time_code_once(world, api, cash_round):
    made, (sunita,) = cash_round()
    client = api(world.organizer_a)
    code = client.post(
        f"/api/v1/relief/rounds/{made.pk}/codes", {"member_id": sunita.pk}, content_type="application/json"
    ).json()["code"]
    assert code not in HandoverCode.objects.get().digest
    assert _pay(client, made, sunita, evidence="code", code=code).status_code == 201
    assert HandoverCode.objects.get().used_at is not None


def test_refuses_a_wrong_code(world, api, cash_round):
    made, (sunita,) = cash_round()
    client = api(world.organizer_a)
    code = client.post(
        f"/api/v1/relief/rounds/{made.pk}/codes", {"member_id": sunita.pk}, content_type="application/json"
    ).json()["code"]
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    response = _pay(client, made, sunita, evidence="code", code=wrong)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "code"
    assert not Payment.objects.exists()


def test_a_transaction_id_is_sealed_and_used_once(world, api, register, cash_round):
    sunita = register("Sunita Devi", group="Ward 5", phones=["+919812345678"])
    rekha = register("Rekha Bai", group="Ward 5", phones=["+919812345679"])
    made, _members = cash_round(method="mobile_money", members=[sunita, rekha])
    client = api(world.organizer_a)
    assert _pay(client, made, sunita, evidence="transaction", transaction_id="QKJ4 81XZ").status_code == 201
    stored = Payment.objects.get()
    assert b"QKJ481XZ" not in bytes(stored.sealed) and "QKJ481XZ" not in stored.transaction_digest
    again = _pay(client, made, rekha, evidence="transaction", transaction_id="qkj481xz")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "transaction_id"
    assert Payment.objects.count() == 1


def test_a_mobile_money_round_needs_a_transaction_id(world, api, cash_round):
    made, (sunita,) = cash_round(method="mobile_money")
    response = _pay(api(world.organizer_a), made, sunita)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "evidence"


def test_refuses_a_round_on_a_list_not_approved(world, register, fund):
    register(group="Ward 5")
    drawn = services.draw_list(
        fund(),
        services.ListIn("W", [{"field": "group", "op": "in", "value": ["Ward 5"]}], "10"),
        actor=world.organizer_a,
    )
    with pytest.raises(services.ValidationError) as raised:
        services.create_round(drawn, services.RoundIn("R", "cash", "2026-03-10"), actor=world.admin_a)
    assert raised.value.code == "not_approved"

"""Two changes to one order at the same moment are applied one after the other: the stored figures
always count both (PostgreSQL, where writers really run in parallel)."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connection

from doorstep.work.models import WorkOrder
from doorstep.work.services import entries as entry_services
from doorstep.work.services import orders as order_services

from .conftest import ORDER


@pytest.mark.postgres
def test_two_payments_at_once_are_both_counted(committed_db, world, delhi_member, party):
    data = {**ORDER, "member": delhi_member.pk, "party": party().pk, "payments": [], "deductions": []}
    order = order_services.create_order(world.org_a, data=data, actor=world.admin_a)
    barrier = threading.Barrier(2)
    failures = []

    def pay(amount):
        try:
            barrier.wait()
            entry_services.add_entry(
                order, "payments", data={"paid_on": "2025-06-25", "amount": amount}, actor=world.admin_a
            )
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(amount,)) for amount in ("500", "675")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    stored = WorkOrder.objects.get(pk=order.pk)
    assert stored.gross_paid == D("1175") and stored.status == "paid"

"""Her work orders follow her rights: in her export, gone with her erasure, moved when two records
of her are merged."""

import io
import json
import zipfile

from doorstep.members.models import DuplicateCandidate
from doorstep.members.services import duplicates as member_duplicates
from doorstep.members.services import rights as member_rights
from doorstep.work.models import Delivery, WorkOrder
from doorstep.work.services import orders as order_services

from .conftest import ORDER


def test_export_erasure_and_merge(world, login, register, delhi_member, party):
    p = party()
    order = order_services.create_order(
        world.org_a, data={**ORDER, "member": delhi_member.pk, "party": p.pk}, actor=world.admin_a
    )
    archive = zipfile.ZipFile(
        io.BytesIO(login(world.organizer_a).get(f"/orgs/union-a/members/{delhi_member.pk}/export/").content)
    )
    data = json.loads(archive.read("member.json"))
    assert data["work.work_orders"][0]["product"] == "Zari cushion cover"
    assert data["work.work_orders"][0]["expected_pay"] == "1175.0000"
    assert [d["quantity"] for d in data["work.deliveries"]] == ["60.000", "40.000"]
    assert "work.payments.csv" in archive.namelist()

    # A second record of the same woman with an order of her own: merging moves it.
    twin = register("Sunita Devee", admin1="Delhi", locality="Seelampur")
    order_services.create_order(
        world.org_a, data={**ORDER, "member": twin.pk, "party": p.pk}, actor=world.admin_a
    )
    candidate = DuplicateCandidate.objects.get()
    member_duplicates.merge_members(candidate, keep=delhi_member.pk, choices={}, actor=world.admin_a)
    assert set(WorkOrder.objects.values_list("member_id", flat=True)) == {delhi_member.pk}

    member_rights.erase_member(delhi_member, actor=world.admin_a)
    assert not WorkOrder.objects.exists() and not Delivery.objects.exists()
    assert order.party_id == p.pk  # the work giver stays: it is not hers

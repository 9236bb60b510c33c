"""Her messages follow her rights (export, erasure), and a message delivered many times at once is
kept once and answered once (PostgreSQL, real concurrent transactions)."""

import io
import json
import threading
import zipfile

import pytest
from django.db import connection
from django.test import Client

from doorstep.members.services import rights
from doorstep.messaging.models import InboxMessage, OutboxMessage

from .conftest import PHONE


def test_her_export_holds_her_messages_in_and_out(world, login, connect, member):
    channel = connect("kannel")
    Client().get(f"/sms/{channel.token}/receive", {"from": PHONE, "text": "hello there", "id": "m1"})
    archive = zipfile.ZipFile(
        io.BytesIO(login(world.organizer_a).get(f"/orgs/union-a/members/{member.pk}/export/").content)
    )
    sections = json.loads(archive.read("member.json"))
    assert [m["text"] for m in sections["messaging.sms_received"]] == ["hello there"]
    assert sections["messaging.sms_sent"][0]["purpose"] == "help"
    assert sections["messaging.sms_sent"][0]["text"].startswith("Send BAL")


def test_her_erasure_removes_her_messages(world, connect, member):
    channel = connect("kannel")
    Client().get(f"/sms/{channel.token}/receive", {"from": PHONE, "text": "hello there", "id": "m1"})
    rights.erase_member(member, actor=world.admin_a)
    assert not InboxMessage.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.postgres
def test_the_same_message_delivered_ten_times_at_once_makes_one_row_and_one_answer(
    committed_db, connect, member
):
    channel = connect("kannel")
    barrier = threading.Barrier(10)
    statuses = []

    def deliver():
        try:
            barrier.wait()
            response = Client().get(
                f"/sms/{channel.token}/receive", {"from": PHONE, "text": "STOP", "id": "same"}
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 10
    assert InboxMessage.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    assert member.consents.filter(method="sms").count() == 1

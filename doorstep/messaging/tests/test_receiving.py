"""Incoming messages and delivery reports, through the addresses gateways call (the Django test
client), and the answers each keyword gets."""

from datetime import date, timedelta

from django.test import Client

from doorstep.core import vault
from doorstep.core.models import AuditEvent, LoginFailure
from doorstep.grievances.models import IntakeReport
from doorstep.members.models import ConsentEvent
from doorstep.messaging import gateways
from doorstep.messaging.models import InboxMessage, Notice, OutboxMessage
from doorstep.messaging.services import notices
from doorstep.messaging.services.sending import MESSAGE_PURPOSE
from doorstep.supplychains.services import create_party
from doorstep.work.services.orders import create_order

from .conftest import PHONE, PIN


def _text(message: OutboxMessage) -> str:
    return vault.open_sealed(message.key, bytes(message.sealed), purpose=MESSAGE_PURPOSE)["text"]


def _kannel_in(channel, text, *, sender=PHONE, message_id="m-1"):
    return Client().get(f"/sms/{channel.token}/receive", {"from": sender, "text": text, "id": message_id})


def _answer(inbox_id=None) -> OutboxMessage:
    inbox = InboxMessage.objects.get(pk=inbox_id) if inbox_id else InboxMessage.objects.latest("pk")
    return OutboxMessage.objects.get(reply_to=inbox)


def test_an_unknown_token_is_refused_and_nothing_is_stored(connect):
    connect("kannel")
    response = Client().get("/sms/not-a-token/receive", {"from": PHONE, "text": "STOP", "id": "1"})
    assert response.status_code == 403
    assert not InboxMessage.objects.exists() and not OutboxMessage.objects.exists()


def test_a_switched_off_channel_token_is_refused(world, connect, member):
    from doorstep.messaging.services import channels

    channel = connect("kannel")
    channels.switch_off(channel, actor=world.admin_a)
    assert _kannel_in(channel, "STOP").status_code == 403
    assert not ConsentEvent.objects.filter(method="sms").exists()


def test_a_twilio_webhook_with_a_bad_signature_is_refused(connect, member):
    channel = connect("twilio")
    form = {"MessageSid": "SM1", "From": PHONE, "To": "+919800000000", "Body": "STOP"}
    response = Client().post(
        f"/sms/{channel.token}/receive", form, headers={"X-Twilio-Signature": "Zm9yZ2Vk"}
    )
    assert response.status_code == 403
    assert not InboxMessage.objects.exists()
    assert not ConsentEvent.objects.filter(method="sms").exists()


def test_a_twilio_webhook_signed_with_the_channel_secret_is_taken(connect, member):
    channel = connect("twilio")
    form = {"MessageSid": "SM1", "From": PHONE, "To": "+919800000000", "Body": "STOP"}
    url = f"http://doorstep.test/sms/{channel.token}/receive"
    signature = gateways.twilio_signature("gw-secret-1", url, form)
    response = Client().post(f"/sms/{channel.token}/receive", form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    assert InboxMessage.objects.get().keyword == "stop"


def test_a_sender_that_is_not_a_phone_number_is_refused(connect):
    response = _kannel_in(connect("kannel"), "STOP", sender="not-a-number")
    assert response.status_code == 400
    assert not InboxMessage.objects.exists()


def test_the_same_message_delivered_twice_makes_one_row_and_one_answer(connect, member):
    channel = connect("kannel")
    assert _kannel_in(channel, "HELLO").status_code == 200
    assert _kannel_in(channel, "HELLO").status_code == 200
    assert InboxMessage.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_stop_withdraws_her_contact_consent_by_sms(connect, member):
    _kannel_in(connect("kannel"), "stop")
    event = ConsentEvent.objects.filter(member=member).latest("pk")
    assert (event.purpose, event.given, event.method) == ("contact", False, "sms")
    assert _text(_answer()) == "You will get no more messages from us."


def test_after_stop_a_notice_no_longer_reaches_her(world, connect, member):
    _kannel_in(connect("kannel"), "STOP")
    notice = notices.create_notice(
        world.org_a, notices.NoticeInput(title="t", texts={"en": "Meeting"}), actor=world.admin_a
    )
    assert notices.preview(notice, actor=world.admin_a).count == 0


def _owed_order(world, member):
    party = create_party(
        world.org_a,
        data={"name": "Rafiq Contractor", "kind": "intermediary", "is_person": True},
        actor=world.admin_a,
    )
    return create_order(
        world.org_a,
        data={
            "member": member.pk,
            "party": party.pk,
            "given_on": (date.today() - timedelta(days=20)).isoformat(),
            "product": "kurta",
            "sector": "embroidery",
            "quantity_ordered": "100",
            "piece_rate": "5.00",
            "currency": "INR",
            "her_hours": "10",
            "deliveries": [
                {"delivered_on": (date.today() - timedelta(days=10)).isoformat(), "quantity": "100"}
            ],
        },
        actor=world.admin_a,
    )


def test_bal_with_her_pin_answers_what_she_is_owed_and_by_how_many(world, connect, member):
    _owed_order(world, member)
    _kannel_in(connect("kannel"), f"BAL {PIN}")
    assert _text(_answer()) == "You are owed 500.00 INR by 1 work givers."


def test_bal_with_a_wrong_pin_says_nothing_of_her_balance(world, connect, member):
    _owed_order(world, member)
    _kannel_in(connect("kannel"), "BAL 000000")
    answer = _text(_answer())
    assert answer == "That PIN is not right."
    assert "500" not in answer
    assert LoginFailure.objects.filter(username=member.user.username).count() == 1


def test_bal_is_throttled_like_her_login(world, connect, member):
    _owed_order(world, member)
    channel = connect("kannel")
    for attempt in range(6):
        _kannel_in(channel, "BAL 000000", message_id=f"wrong-{attempt}")
    _kannel_in(channel, f"BAL {PIN}", message_id="right")
    assert _text(_answer(InboxMessage.objects.get(idempotency_key="right").pk)) == (
        "Too many wrong PINs. Try again later."
    )


def test_help_opens_an_intake_report_and_answers_its_receipt(world, connect, member):
    _kannel_in(connect("kannel"), "HELP the agent has not paid for three weeks")
    report = IntakeReport.objects.get()
    assert report.organization == world.org_a and report.status == "pending"
    answer = _text(_answer())
    assert answer.startswith("We received your report. Your receipt code is ")
    code = answer.rsplit(" ", 1)[1].rstrip(".")
    assert Client().get(f"/api/v1/grievances/intake/{code}").json()["status"] == "pending"


def test_yes_answers_the_last_question_sent_to_her(world, connect, member, run_jobs):
    channel = connect("kannel")
    notice = notices.create_notice(
        world.org_a,
        notices.NoticeInput(title="Meeting", texts={"en": "Will you come on Friday?"}, asks_question=True),
        actor=world.admin_a,
    )
    with run_jobs():
        notices.send_notice(notice, actor=world.admin_a)
    assert OutboxMessage.objects.get(notice=notice).status == "sent"
    _kannel_in(channel, "yes")
    assert OutboxMessage.objects.get(notice=notice).answer == "yes"
    assert _text(_answer()) == "Thank you, your answer is recorded."


def test_an_unknown_word_gets_the_help_text_once_a_day(connect, member):
    channel = connect("kannel")
    _kannel_in(channel, "hello?", message_id="a")
    _kannel_in(channel, "anyone?", message_id="b")
    assert InboxMessage.objects.count() == 2
    help_sent = OutboxMessage.objects.get()
    assert help_sent.purpose == "help" and _text(help_sent).startswith("Send BAL and your PIN")


def test_an_unknown_number_is_answered_and_kept_only_as_its_digest(world, connect):
    _kannel_in(connect("kannel"), "BAL 123456", sender="+919812399999")
    stored = InboxMessage.objects.get()
    assert stored.member is None and bytes(stored.sealed) == b""
    assert stored.phone_digest == vault.blind_index(world.org_a.pk, "phone", "+919812399999")
    assert OutboxMessage.objects.get().purpose == "help"


def test_a_keyword_in_another_script_is_read_and_answered_in_its_language(connect, member):
    _kannel_in(connect("kannel"), "रोकें")
    assert InboxMessage.objects.get().keyword == "stop"
    assert ConsentEvent.objects.filter(member=member, method="sms", given=False).exists()


def test_an_organizations_own_keyword_replaces_the_default(world, connect, member):
    from doorstep.messaging.services import keywords

    keywords.set_keywords(
        world.org_a, "en", [keywords.KeywordInput("en", "SHIDA", "help")], actor=world.admin_a
    )
    channel = connect("kannel")
    _kannel_in(channel, "HELP me please", message_id="1")
    assert InboxMessage.objects.get(idempotency_key="1").keyword == "unknown"
    _kannel_in(channel, "shida me please", message_id="2")
    assert InboxMessage.objects.get(idempotency_key="2").keyword == "help"


def test_a_delivery_report_moves_the_message_on_and_a_repeat_changes_nothing(
    world, connect, member, run_jobs
):
    channel = connect("kannel")
    with run_jobs():
        _kannel_in(channel, "hello")
    sent = OutboxMessage.objects.get()
    assert sent.status == "sent"
    report = {"ref": sent.idempotency_key, "status": "1"}
    assert Client().get(f"/sms/{channel.token}/status", report).status_code == 200
    delivered = OutboxMessage.objects.get()
    assert delivered.status == "delivered"
    Client().get(f"/sms/{channel.token}/status", {"ref": sent.idempotency_key, "status": "8"})
    again = OutboxMessage.objects.get()
    assert (again.status, again.delivered_at) == ("delivered", delivered.delivered_at)


def test_a_delivery_report_with_an_unknown_token_is_refused(connect, member):
    connect("kannel")
    assert Client().get("/sms/forged/status", {"ref": "x", "status": "1"}).status_code == 403


def test_the_audit_keeps_ids_never_numbers_or_words(connect, member):
    _kannel_in(connect("kannel"), "HELP my secret words")
    for event in AuditEvent.objects.all():
        text = f"{event.metadata}{event.object_id}"
        assert "9812345678" not in text and "secret words" not in text


def test_a_notice_asking_nothing_records_no_answer(world, connect, member, run_jobs):
    channel = connect("kannel")
    notice = notices.create_notice(
        world.org_a,
        notices.NoticeInput(title="Info", texts={"en": "Office closed Monday."}),
        actor=world.admin_a,
    )
    with run_jobs():
        notices.send_notice(notice, actor=world.admin_a)
    _kannel_in(channel, "NO")
    assert OutboxMessage.objects.get(notice=notice).answer == ""
    assert Notice.objects.get().status == "sent"

"""Notices to chosen members, their cost before sending, and the outbox's job: retries with backoff,
the rate limit and the daily cap, and a send cut short by a crash."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from doorstep.core.errors import ValidationError
from doorstep.members.services import consent
from doorstep.messaging.models import Channel, Notice, OutboxMessage
from doorstep.messaging.services import notices, sending

from .conftest import PHONE


def _notice(world, **extra):
    data = {"title": "Meeting", "texts": {"en": "Meeting tomorrow at ten."}, **extra}
    return notices.create_notice(world.org_a, notices.NoticeInput(**data), actor=world.organizer_a)


def test_the_preview_counts_only_members_whose_contact_consent_stands(world, connect, member, register):
    register(full_name="Without Consent", phones=["+919812340000"])
    withdrawn = register(full_name="Withdrew", phones=["+919812341111"])
    for given, when in ((True, date.today() - timedelta(days=9)), (False, date.today())):
        consent.record_consent(
            withdrawn, purpose="contact", given=given, effective_on=when, method="paper", actor=world.admin_a
        )
    preview = notices.preview(_notice(world), actor=world.organizer_a)
    assert (preview.count, preview.parts) == (1, 1)


def test_the_preview_counts_parts_per_language(world, connect, member, register):
    hindi = register(full_name="Meena", phones=["+919812342222"], languages=["hi"])
    consent.record_consent(
        hindi, purpose="contact", given=True, effective_on=date.today(), method="paper", actor=world.admin_a
    )
    notice = _notice(world, texts={"en": "a" * 161, "hi": "कल बैठक है"})
    preview = notices.preview(notice, actor=world.organizer_a)
    rows = {row["language"]: row for row in preview.by_language}
    assert rows["en"] == {"language": "en", "members": 1, "parts_each": 2, "encoding": "gsm7"}
    assert rows["hi"] == {"language": "hi", "members": 1, "parts_each": 1, "encoding": "ucs2"}
    assert preview.parts == 3


def test_the_audience_is_narrowed_by_locality(world, connect, member):
    assert notices.preview(_notice(world, locality="Elsewhere"), actor=world.organizer_a).count == 0


def test_rejects_a_notice_longer_than_six_parts_with_the_parts_counted(world):
    with pytest.raises(ValidationError) as failure:
        _notice(world, texts={"en": "a" * 1000})
    assert failure.value.errors[0].field == "texts.en"
    assert "7 parts" in failure.value.errors[0].message
    assert not Notice.objects.exists()


def test_a_notice_is_sent_in_her_language_to_the_gateway(world, connect, member, gateway, run_jobs):
    connect("kannel")
    with run_jobs():
        notices.send_notice(_notice(world), actor=world.organizer_a)
    assert gateway.last().query["to"] == PHONE
    assert gateway.last().query["text"] == "Meeting tomorrow at ten."
    assert OutboxMessage.objects.get().status == "sent"


def test_sending_a_notice_twice_sends_one_copy(world, connect, member, gateway, run_jobs):
    connect("kannel")
    notice = _notice(world)
    with run_jobs():
        notices.send_notice(notice, actor=world.organizer_a)
        notices.send_notice(notice, actor=world.organizer_a)
        notices.expand_notice(notice.pk)
    assert OutboxMessage.objects.count() == 1
    assert len(gateway.requests) == 1


def test_a_notice_without_a_channel_is_refused_in_words(world, member):
    notice = _notice(world)
    with pytest.raises(ValidationError) as failure:
        notices.send_notice(notice, actor=world.organizer_a)
    assert failure.value.code == "no_channel"
    assert Notice.objects.get().status == "draft"


def test_the_notice_page_shows_each_copys_delivery_on_a_phone(world, login, connect, member, run_jobs):
    connect("kannel")
    notice = _notice(world)
    client = login(world.organizer_a)
    before = client.get(f"/orgs/union-a/sms/notices/{notice.pk}/")
    assert b"It reaches 1 member today, 1 message parts in all." in before.content
    with run_jobs():
        client.post(f"/orgs/union-a/sms/notices/{notice.pk}/", {"action": "send"})
    after = client.get(f"/orgs/union-a/sms/notices/{notice.pk}/")
    assert b'class="stack"' in after.content and b"#1" in after.content and b"Sent" in after.content
    assert PHONE.encode() not in after.content


def test_the_api_answers_count_and_cost_before_sending(world, api, connect, member):
    response = api(world.organizer_a).post(
        "/api/v1/sms/notices",
        {"organization_id": world.org_a.pk, "title": "t", "texts": {"en": "Hello €"}},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["count"], body["parts"], body["by_language"][0]["encoding"]) == (1, 1, "gsm7")


def test_the_api_refuses_a_language_it_does_not_know(world, api):
    response = api(world.organizer_a).post(
        "/api/v1/sms/notices",
        {"organization_id": world.org_a.pk, "title": "t", "texts": {"xx": "Hello"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Notice.objects.exists()


# The outbox's job -------------------------------------------------------------------------------


def test_a_failing_gateway_is_retried_with_backoff(world, connect, member, gateway, run_jobs):
    connect("kannel")
    gateway.fail_with = 500
    with run_jobs():
        notices.send_notice(_notice(world), actor=world.organizer_a)
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.error) == ("queued", 1, "gateway_error")
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=20)


def test_a_message_is_given_up_after_the_last_attempt(world, connect, member, gateway, run_jobs):
    connect("kannel")
    gateway.fail_with = 500
    with run_jobs():
        notices.send_notice(_notice(world), actor=world.organizer_a)
    for _attempt in range(sending.MAX_ATTEMPTS):
        OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        sending.deliver(OutboxMessage.objects.get().pk)
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", sending.MAX_ATTEMPTS)
    assert len(gateway.requests) == sending.MAX_ATTEMPTS


def test_a_refused_message_is_not_retried(world, connect, member, gateway, run_jobs):
    connect("kannel")
    gateway.fail_with = 400
    with run_jobs():
        notices.send_notice(_notice(world), actor=world.organizer_a)
    assert OutboxMessage.objects.get().status == "failed"


def test_the_channel_rate_limit_holds_messages_back(world, connect, member, register, gateway, run_jobs):
    connect("kannel", rate_per_minute=1)
    other = register(full_name="Meena", phones=["+919812342222"])
    consent.record_consent(
        other, purpose="contact", given=True, effective_on=date.today(), method="paper", actor=world.admin_a
    )
    with run_jobs():
        notices.send_notice(_notice(world), actor=world.organizer_a)
    statuses = sorted(OutboxMessage.objects.values_list("status", flat=True))
    assert statuses == ["queued", "sent"]
    assert len(gateway.requests) == 1


def test_the_daily_cap_holds_messages_until_tomorrow(world, connect, member, gateway, run_jobs):
    channel = connect("kannel")
    Channel.objects.filter(pk=channel.pk).update(daily_cap=1)
    with run_jobs():
        notices.send_notice(_notice(world, title="one"), actor=world.organizer_a)
        notices.send_notice(_notice(world, title="two"), actor=world.organizer_a)
    held = OutboxMessage.objects.get(status="queued")
    assert held.next_attempt_at.date() > timezone.localdate()
    assert len(gateway.requests) == 1


def test_a_send_cut_short_by_a_crash_is_sent_again_once_then_given_up(world, connect, member):
    channel = connect("kannel")
    message, _new = sending.queue_message(
        channel,
        idempotency_key="k1",
        to=PHONE,
        text="hello",
        purpose="reply",
        key=member.subject_key,
        member=member,
    )
    long_ago = timezone.now() - timedelta(seconds=sending.STALL_SECONDS + 1)
    OutboxMessage.objects.filter(pk=message.pk).update(status="sending", status_at=long_ago, attempts=1)
    assert sending.recover_stalled() == [message.pk]
    assert OutboxMessage.objects.get().status == "queued"
    OutboxMessage.objects.filter(pk=message.pk).update(status="sending", status_at=long_ago)
    assert sending.recover_stalled() == []
    assert (OutboxMessage.objects.get().status, OutboxMessage.objects.get().error) == ("failed", "stalled")


def test_the_sweep_sends_what_is_due_once_the_gateway_is_back(world, connect, member, gateway, run_jobs):
    from django.core.management import call_command

    connect("kannel")
    gateway.fail_with = 503
    with run_jobs():
        notices.send_notice(_notice(world), actor=world.organizer_a)
    gateway.fail_with = None
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with run_jobs():
        call_command("sms_sweep")
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("sent", 2)


def test_the_keywords_api_replaces_one_languages_words(world, api):
    client = api(world.admin_a)
    response = client.put(
        "/api/v1/sms/keywords",
        {
            "organization_id": world.org_a.pk,
            "language": "sw",
            "keywords": [{"word": "deni", "action": "balance"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    listed = {
        row["language"]: row["keywords"]
        for row in client.get(f"/api/v1/sms/keywords?organization_id={world.org_a.pk}").json()
    }
    assert listed["sw"] == [{"word": "DENI", "action": "balance"}]


def test_the_keywords_api_refuses_an_unknown_action(world, api):
    response = api(world.admin_a).put(
        "/api/v1/sms/keywords",
        {"organization_id": world.org_a.pk, "language": "sw", "keywords": [{"word": "x", "action": "pay"}]},
        content_type="application/json",
    )
    assert response.status_code == 422

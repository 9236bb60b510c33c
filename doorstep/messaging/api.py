"""API of the messaging app: channels, notices (cost before sending, delivery after) and keywords."""

from ninja import Router, Status

from doorstep.core.roles import ADMIN_ROLES
from doorstep.core.schemas import ErrorOut
from doorstep.organizations.queries import organization_for_staff

from . import queries
from .models import Notice
from .schemas import (
    SmsChannelIn,
    SmsChannelOut,
    SmsKeywordsIn,
    SmsKeywordsOut,
    SmsNoticeIn,
    SmsNoticeOut,
    SmsTestIn,
    SmsTestOut,
)
from .services import channels as channel_services
from .services import keywords as keyword_services
from .services import notices as notice_services

router = Router(tags=["sms"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _channel_out(channel) -> dict:
    return {
        **{f: getattr(channel, f) for f in ("id", "kind", "name", "send_url", "sender", "is_active")},
        "rate_per_minute": channel.rate_per_minute,
        "daily_cap": channel.daily_cap,
        "receive_url": channel_services.callback_url(channel, "receive"),
        "status_url": channel_services.callback_url(channel, "status"),
    }


@router.get("/sms/channels", response={200: list[SmsChannelOut], **ERRORS})
def list_channels(request, organization_id: int):
    """The organization's channels, the active one first (administrators only)."""
    organization = organization_for_staff(request.auth, organization_id, ADMIN_ROLES)
    return [_channel_out(c) for c in queries.channels_of(request.auth, organization)]


@router.post("/sms/channels", response={201: SmsChannelOut, **ERRORS})
def connect_channel(request, payload: SmsChannelIn):
    """Connect a gateway; it becomes the active channel. Credentials are sealed and never returned."""
    organization = organization_for_staff(request.auth, payload.organization_id, ADMIN_ROLES)
    data = payload.dict()
    data.pop("organization_id")
    made = channel_services.connect_channel(
        organization, channel_services.ChannelInput(**data), actor=request.auth
    )
    return Status(201, _channel_out(made))


@router.post("/sms/channels/{channel_id}/test", response={200: SmsTestOut, **ERRORS})
def test_channel(request, channel_id: int, payload: SmsTestIn):
    """Send a test message now; ``ok`` false with ``message`` saying what went wrong, in words."""
    found = queries.get_channel(request.auth, channel_id)
    result = channel_services.send_test(found, to=payload.to, actor=request.auth)
    return {"ok": result.ok, "message": result.words}


@router.post("/sms/channels/{channel_id}/switch-off", response={200: SmsChannelOut, **ERRORS})
def switch_off(request, channel_id: int):
    found = queries.get_channel(request.auth, channel_id)
    return _channel_out(channel_services.switch_off(found, actor=request.auth))


def _notice_out(notice: Notice, actor) -> dict:
    out = {
        **{f: getattr(notice, f) for f in ("id", "title", "texts", "audience", "asks_question", "status")},
        "created_at": notice.created_at,
        "sent_at": notice.sent_at,
    }
    if notice.status == Notice.Status.DRAFT:
        preview = notice_services.preview(notice, actor=actor)
        out.update(count=preview.count, parts=preview.parts, by_language=preview.by_language)
    else:
        out["copies"] = [
            {
                "id": m.pk,
                "member_id": m.member_id,
                "member_number": m.member.number if m.member else None,
                "status": m.status,
                "error": m.error,
                "parts": m.parts,
                "answer": m.answer,
                "sent_at": m.sent_at,
                "delivered_at": m.delivered_at,
            }
            for m in queries.copies_of(notice)
        ]
    return out


@router.get("/sms/notices", response={200: list[SmsNoticeOut], **ERRORS})
def list_notices(request, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    return [
        {
            **{f: getattr(n, f) for f in ("id", "title", "texts", "audience", "asks_question", "status")},
            "created_at": n.created_at,
            "sent_at": n.sent_at,
        }
        for n in queries.notices_of(request.auth, organization)[:200]
    ]


@router.post("/sms/notices", response={201: SmsNoticeOut, **ERRORS})
def create_notice(request, payload: SmsNoticeIn):
    """A notice as a draft; the answer says whom it reaches today and what it costs in parts."""
    organization = organization_for_staff(request.auth, payload.organization_id)
    data = payload.dict()
    data.pop("organization_id")
    notice = notice_services.create_notice(
        organization, notice_services.NoticeInput(**data), actor=request.auth
    )
    return Status(201, _notice_out(notice, request.auth))


@router.get("/sms/notices/{notice_id}", response={200: SmsNoticeOut, **ERRORS})
def get_notice(request, notice_id: int):
    """Before sending: ``count``, ``parts``, ``by_language``; after: each copy's delivery and answer."""
    return _notice_out(queries.get_notice(request.auth, notice_id), request.auth)


@router.post("/sms/notices/{notice_id}/send", response={202: SmsNoticeOut, **ERRORS})
def send_notice(request, notice_id: int):
    """Send it (once: sending again changes nothing). 422 ``no_channel`` without an active channel."""
    notice = notice_services.send_notice(queries.get_notice(request.auth, notice_id), actor=request.auth)
    return Status(202, _notice_out(notice, request.auth))


@router.get("/sms/keywords", response={200: list[SmsKeywordsOut], **ERRORS})
def list_keywords(request, organization_id: int):
    """The words in use per language (the organization's own, else the defaults)."""
    organization = organization_for_staff(request.auth, organization_id)
    return [
        {"language": language, "keywords": [{"word": w, "action": a} for w, a in sorted(words.items())]}
        for language, words in sorted(keyword_services.words_of(organization.pk).items())
    ]


@router.put("/sms/keywords", response={200: SmsKeywordsOut, **ERRORS})
def set_keywords(request, payload: SmsKeywordsIn):
    """Replace one language's words (an empty list: back to the defaults)."""
    organization = organization_for_staff(request.auth, payload.organization_id, ADMIN_ROLES)
    made = keyword_services.set_keywords(
        organization,
        payload.language,
        [keyword_services.KeywordInput(payload.language, k.word, k.action) for k in payload.keywords],
        actor=request.auth,
    )
    return {"language": payload.language, "keywords": [{"word": k.word, "action": k.action} for k in made]}

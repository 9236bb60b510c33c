"""Pages of the messaging app (an organization's channel, notices and keywords) and the addresses
gateways call back (incoming messages and delivery reports, found by the channel's token)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from doorstep.core.errors import DomainError
from doorstep.core.forms import add_domain_error
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES
from doorstep.core.tenancy import role_in
from doorstep.members import queries as member_queries
from doorstep.organizations.queries import get_organization_with_role

from . import queries
from .forms import ChannelForm, KeywordsForm, NoticeForm, TestForm
from .models import KeywordAction
from .services import channels as channel_services
from .services import keywords as keyword_services
from .services import notices as notice_services
from .services import receiving


def _notice_form(request, organization, data=None):
    return NoticeForm(
        data,
        groups=member_queries.groups_of(request.user, organization),
        languages=organization.languages or ["en"],
    )


def _notice_input(form, organization) -> notice_services.NoticeInput:
    data = form.cleaned_data
    return notice_services.NoticeInput(
        title=data["title"],
        texts={code: data.get(f"text_{code}", "") for code in organization.languages or ["en"]},
        group_ids=[g.pk for g in data["groups"]],
        locality=data["locality"],
        sector=data["sector"],
        status=data["status"],
        asks_question=data["asks_question"],
    )


@login_required
def home(request, org_slug: str):
    """The organization's SMS: its channel (admins connect one), notices (new and sent)."""
    organization = get_organization_with_role(request.user, org_slug, STAFF_ROLES)
    admin = role_in(request.user, organization) in ADMIN_ROLES
    action = request.POST.get("action") if request.method == "POST" else None
    channel_form = ChannelForm(request.POST if action == "connect" else None)
    notice_form = _notice_form(request, organization, request.POST if action == "notice" else None)
    try:
        if action == "connect" and admin and channel_form.is_valid():
            made = channel_services.connect_channel(
                organization, channel_services.ChannelInput(**channel_form.cleaned_data), actor=request.user
            )
            messages.success(request, _("The channel is connected. Send a test message."))
            return redirect("messaging_channel", org_slug=organization.slug, channel_id=made.pk)
        if action == "notice" and notice_form.is_valid():
            notice = notice_services.create_notice(
                organization, _notice_input(notice_form, organization), actor=request.user
            )
            return redirect("messaging_notice", org_slug=organization.slug, notice_id=notice.pk)
    except DomainError as error:
        add_domain_error(channel_form if action == "connect" else notice_form, error)
    rows, next_cursor = page_of(
        queries.notices_of(request.user, organization),
        limit=50,
        cursor=request.GET.get("cursor"),
        newest_first=True,
    )
    return render(
        request,
        "messaging/home.html",
        {
            "organization": organization,
            "admin": admin,
            "channel": queries.active_channel(request.user, organization),
            "channels": queries.channels_of(request.user, organization) if admin else [],
            "channel_form": channel_form,
            "notice_form": notice_form,
            "notices": rows,
            "next_query": next_page_query(request, next_cursor),
        },
        status=422 if action and request.method == "POST" else 200,
    )


@login_required
def channel(request, org_slug: str, channel_id: int):
    """One channel: the addresses to give the gateway, a test message, switching it off."""
    organization = get_organization_with_role(request.user, org_slug, ADMIN_ROLES)
    found = queries.get_channel(request.user, channel_id, organization)
    action = request.POST.get("action") if request.method == "POST" else None
    test_form = TestForm(request.POST if action == "test" else None)
    result = None
    try:
        if action == "test" and test_form.is_valid():
            result = channel_services.send_test(found, to=test_form.cleaned_data["to"], actor=request.user)
        elif action == "off":
            channel_services.switch_off(found, actor=request.user)
            messages.success(request, _("The channel is switched off."))
            return redirect("messaging_home", org_slug=organization.slug)
    except DomainError as error:
        add_domain_error(test_form, error)
    return render(
        request,
        "messaging/channel.html",
        {
            "organization": organization,
            "channel": found,
            "receive_url": channel_services.callback_url(found, "receive"),
            "status_url": channel_services.callback_url(found, "status"),
            "test_form": test_form,
            "result": result,
        },
        status=422 if test_form.errors else 200,
    )


@login_required
def notice(request, org_slug: str, notice_id: int):
    """A notice: whom it reaches and what it costs before sending; each copy's delivery after."""
    organization = get_organization_with_role(request.user, org_slug, STAFF_ROLES)
    found = queries.get_notice(request.user, notice_id, organization)
    error = None
    if request.method == "POST" and request.POST.get("action") == "send":
        try:
            notice_services.send_notice(found, actor=request.user)
        except DomainError as failure:
            error = failure.message
        else:
            messages.success(request, _("The notice is being sent."))
            return redirect(request.path)
    sent = found.status == found.Status.SENT
    return render(
        request,
        "messaging/notice.html",
        {
            "organization": organization,
            "notice": found,
            "preview": None if sent else notice_services.preview(found, actor=request.user),
            "copies": queries.copies_of(found)[:500] if sent else [],
            "counts": queries.status_counts(found) if sent else {},
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
def keywords(request, org_slug: str):
    """The words members text, per language (empty: the defaults)."""
    organization = get_organization_with_role(request.user, org_slug, ADMIN_ROLES)
    form = KeywordsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        rows = [
            keyword_services.KeywordInput(language, word, action)
            for action in KeywordAction.values
            for word in form.cleaned_data[f"word_{action}"].split()
        ]
        try:
            keyword_services.set_keywords(organization, language, rows, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The keywords are saved."))
            return redirect(request.path)
    table = keyword_services.words_of(organization.pk)
    return render(
        request,
        "messaging/keywords.html",
        {
            "organization": organization,
            "form": form,
            "table": [
                (language, [(word, action) for word, action in sorted(words.items())])
                for language, words in sorted(table.items())
            ],
            "own": set(queries.keywords_of(request.user, organization).values_list("language", flat=True)),
        },
        status=422 if form.errors else 200,
    )


# Called by gateways --------------------------------------------------------------------------------


def _params(request) -> dict[str, str]:
    source = request.POST if request.method == "POST" else request.GET
    return {name: source.get(name, "") for name in source}


def _signed(request, channel, what: str) -> None:
    receiving.check_signature(
        channel,
        dict(request.POST.items()) if request.method == "POST" else {},
        signature=request.headers.get("X-Twilio-Signature", ""),
        urls=receiving.expected_urls(channel, what, request.build_absolute_uri()),
    )


@csrf_exempt
def gateway_receive(request, token: str):
    """An incoming message: Kannel's get-url (GET), the External shape and Twilio (POST)."""
    try:
        found = receiving.channel_for(token)
        _signed(request, found, "receive")
        receiving.receive(found, _params(request))
    except receiving.Forbidden:
        return HttpResponseForbidden("forbidden", content_type="text/plain")
    except receiving.BadNumber:
        return HttpResponseBadRequest("not a valid phone number", content_type="text/plain")
    if found.kind == "twilio":
        return HttpResponse("<Response/>", content_type="application/xml")
    return HttpResponse("", content_type="text/plain")  # Kannel sends a body back as a reply: none


@csrf_exempt
def gateway_status(request, token: str):
    """A delivery report."""
    try:
        found = receiving.channel_for(token)
        _signed(request, found, "status")
    except receiving.Forbidden:
        return HttpResponseForbidden("forbidden", content_type="text/plain")
    receiving.receive_status(found, _params(request))
    return HttpResponse("", content_type="text/plain")

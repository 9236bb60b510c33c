"""Pages of the network app: the directory and its map (public, no JavaScript needed), an
organization's entry and its requests to join networks; bulletins (public archive, subscription,
writing and sending them) and news from affiliates; the resource library; events and trainings."""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import global_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django_countries import countries

from doorstep.core import tenancy, throttle
from doorstep.core.downloads import attachment
from doorstep.core.errors import DomainError, Throttled
from doorstep.core.forms import add_domain_error
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES
from doorstep.governance.queries import public_office_bearers
from doorstep.organizations.queries import get_organization_with_role

from . import queries
from .forms import (
    AffiliationRequestForm,
    BulletinEditForm,
    BulletinForm,
    DecisionForm,
    DirectoryFilterForm,
    EventForm,
    ListingForm,
    NewsForm,
    RegistrationForm,
    ResourceFilterForm,
    ResourceForm,
    SectionForm,
    SubscribeForm,
    TranslationForm,
)
from .models import Topic
from .services import affiliations as affiliation_services
from .services import bulletins as bulletin_services
from .services import directory as directory_services
from .services import events as event_services
from .services import news as news_services
from .services import resources as resource_services
from .services import sending as sending_services
from .services import subscribers as subscriber_services

MAP = Path(__file__).parent / "data" / "worldmap.svg"
PUBLIC_CACHE = {"public": True, "max_age": 300}


@cache_control(**PUBLIC_CACHE)
def directory(request):
    by_country = sorted(
        ((code, countries.name(code), n) for code, n in queries.listed_countries()),
        key=lambda row: (-row[2], row[1]),
    )
    form = DirectoryFilterForm(
        request.GET or None,
        networks=queries.listed_networks(),
        country_choices=sorted(((code, name) for code, name, _n in by_country), key=lambda c: c[1]),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    listings, next_cursor = page_of(
        queries.listed_organizations(filters), limit=50, cursor=request.GET.get("cursor")
    )
    return render(
        request,
        "network/directory.html",
        {
            "form": form,
            "entries": queries.entries(listings),
            "next_query": next_page_query(request, next_cursor),
            "by_country": by_country,
            "filtered": any(filters.values()) if filters else False,
        },
    )


@cache_control(**PUBLIC_CACHE)
def directory_entry(request, slug: str):
    entry = queries.listed_entry(slug)
    return render(
        request,
        "network/entry.html",
        {"entry": entry, "office_bearers": public_office_bearers(entry.organization)},
    )


@lru_cache(maxsize=1)
def _map_shapes() -> str:
    return MAP.read_text(encoding="utf-8")


@cache_control(**PUBLIC_CACHE)
def directory_map(request):
    """The world map with the countries of listed organizations filled in (an image; the directory
    page lists the same countries as a table beside it)."""
    listed = [code for code, _n in queries.listed_countries()]
    svg = _map_shapes()
    marked = ",".join(f"#{code}" for code in listed if re.fullmatch(r"[A-Z]{2}", code))
    style = "path{fill:#d9dde3;stroke:#fff;stroke-width:.5}"
    if marked:
        style += f"{marked}{{fill:#0b6e4f}}"
    names = ", ".join(str(countries.name(code)) for code in listed) or _("none yet")
    title = _("Countries with organizations in the directory: %(countries)s") % {"countries": names}
    head = f"<title>{escape(title)}</title><style>{style}</style>"
    svg = svg.replace(">", ">" + head, 1).replace("<svg ", '<svg role="img" ', 1)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@login_required
def network_home(request, org_slug: str):
    """The organization's directory entry and its affiliations: requests it sent, and (for a
    network) requests it received."""
    organization = get_organization_with_role(request.user, org_slug, STAFF_ROLES)
    is_admin = tenancy.role_in(request.user, organization) in ADMIN_ROLES
    listing = queries.listing_of(request.user, organization)
    listing_form = ListingForm(instance=listing, initial={"sectors": listing.sectors})
    networks = queries.joinable_networks(organization)
    request_form = AffiliationRequestForm(networks=networks)
    status = 200
    if request.method == "POST" and is_admin:
        action = request.POST.get("action")
        if action == "listing":
            listing_form = ListingForm(request.POST, instance=queries.listing_of(request.user, organization))
            if listing_form.is_valid():
                data = {name: listing_form.cleaned_data[name] for name in directory_services.LISTING_FIELDS}
                try:
                    directory_services.save_listing(organization, data=data, actor=request.user)
                except DomainError as error:
                    add_domain_error(listing_form, error)
                else:
                    messages.success(request, _("The directory entry is saved."))
                    return redirect("network_home", org_slug=organization.slug)
        elif action == "request":
            request_form = AffiliationRequestForm(request.POST, networks=networks)
            if request_form.is_valid():
                try:
                    affiliation_services.request_affiliation(
                        organization,
                        network=request_form.cleaned_data["network"],
                        message=request_form.cleaned_data["message"],
                        actor=request.user,
                    )
                except DomainError as error:
                    add_domain_error(request_form, error)
                else:
                    messages.success(request, _("The request is sent to the network's administrators."))
                    return redirect("network_home", org_slug=organization.slug)
        status = 422
    received = queries.requests_received(request.user, organization) if organization.is_network else None
    return render(
        request,
        "network/home.html",
        {
            "organization": organization,
            "is_admin": is_admin,
            "listing": listing,
            "listing_form": listing_form,
            "request_form": request_form if networks.exists() else None,
            "sent": queries.requests_sent(request.user, organization)[:50],
            "received": received[:50] if received is not None else None,
            "decision_form": DecisionForm(),
        },
        status=status,
    )


@login_required
@require_POST
def affiliation_request(request, org_slug: str, request_id: int):
    """Approve or decline a request to join this network, or withdraw one this organization sent."""
    organization = get_organization_with_role(request.user, org_slug, ADMIN_ROLES)
    action = request.POST.get("action")
    form = DecisionForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    try:
        if action == "withdraw":
            found = queries.get_request_sent(request.user, organization, request_id)
            affiliation_services.withdraw_request(found, actor=request.user)
            messages.success(request, _("The request is withdrawn."))
        else:
            found = queries.get_request_received(request.user, organization, request_id)
            approve = action == "approve"
            affiliation_services.decide_request(found, approve=approve, answer=answer, actor=request.user)
            messages.success(
                request,
                (_("%(name)s is now affiliated.") if approve else _("The request from %(name)s is declined."))
                % {"name": found.organization.name},
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("network_home", org_slug=organization.slug)


# Bulletins: public archive, feed and subscriptions ----------------------------------------------------


@cache_control(**PUBLIC_CACHE)
def bulletins_index(request):
    return render(request, "network/bulletins_index.html", {"publishers": queries.publishers()})


@cache_control(**PUBLIC_CACHE)
def bulletin_archive(request, slug: str):
    organization, bulletins = queries.published_bulletins(slug)
    rows, next_cursor = page_of(bulletins, limit=30, cursor=request.GET.get("cursor"), newest_first=True)
    if not rows and not request.GET.get("cursor"):
        raise Http404
    form = SubscribeForm(initial={"language": translation.get_language()})
    return render(
        request,
        "network/archive.html",
        {
            "publisher": organization,
            "rows": rows,
            "next_query": next_page_query(request, next_cursor),
            "form": form,
        },
    )


@cache_control(**PUBLIC_CACHE)
def bulletin(request, slug: str, bulletin_id: int):
    found = queries.published_bulletin(slug, bulletin_id)
    versions = [v for v in queries.versions_of(found, published_only=True) if v.pk != found.pk]
    return render(request, "network/bulletin.html", {"bulletin": found, "versions": versions})


@require_POST
def bulletin_subscribe(request, slug: str):
    """Ask for the bulletins by e-mail: the same answer whether the address was known or not."""
    organization = queries.subscribable(slug)
    form = SubscribeForm(request.POST)
    status = 200
    if form.is_valid():
        if form.cleaned_data["website"]:  # only robots fill in the hidden field
            return render(request, "network/subscribed.html", {"publisher": organization})
        try:
            subscriber_services.subscribe(
                organization,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                address=throttle.client_address(request),
            )
        except Throttled as refused:
            form.add_error(None, refused.message)
            status = 429
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return render(request, "network/subscribed.html", {"publisher": organization})
    return render(
        request,
        "network/subscribe.html",
        {"publisher": organization, "form": form},
        status=status if status != 200 else 422,
    )


def bulletin_confirm(request, token: str):
    try:
        organization, changed = subscriber_services.confirm_subscription(token)
    except subscriber_services.InvalidLink:
        return render(request, "network/link_invalid.html", status=400)
    return render(request, "network/confirmed.html", {"publisher": organization, "changed": changed})


def bulletin_unsubscribe(request, token: str):
    """GET asks to confirm (so that a mail scanner following links unsubscribes no one); POST, also
    the one-click unsubscribe of mail programs (RFC 8058), does it."""
    try:
        if request.method == "POST":
            organization = subscriber_services.unsubscribe(token)
            return render(request, "network/unsubscribed.html", {"publisher": organization})
        organization = subscriber_services.check_unsubscribe_link(token)
    except subscriber_services.InvalidLink:
        return render(request, "network/link_invalid.html", status=400)
    return render(request, "network/unsubscribe.html", {"publisher": organization})


# Bulletins: writing them ------------------------------------------------------------------------------


def _writer(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, bulletin_services.BULLETIN_ROLES)


@login_required
def bulletin_list(request, org_slug: str):
    organization = _writer(request, org_slug)
    form = BulletinForm(request.POST or None, initial={"language": (organization.languages or ["en"])[0]})
    if request.method == "POST" and form.is_valid():
        try:
            created = bulletin_services.create_bulletin(
                organization, data=form.cleaned_data, actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("bulletin_edit", org_slug=organization.slug, bulletin_id=created.pk)
    rows, next_cursor = page_of(
        queries.bulletins_of(request.user, organization),
        limit=50,
        cursor=request.GET.get("cursor"),
        newest_first=True,
    )
    return render(
        request,
        "network/bulletin_list.html",
        {
            "organization": organization,
            "rows": rows,
            "next_query": next_page_query(request, next_cursor),
            "form": form,
            "news": queries.news_received(request.user, organization).filter(status="submitted")[:50],
            "subscribers": queries.subscriber_counts(request.user, organization),
        },
        status=422 if form.errors else 200,
    )


@login_required
def bulletin_edit(request, org_slug: str, bulletin_id: int):
    """One version of a bulletin: its title and summary, its sections (add, change, move, remove),
    news from affiliates to add, other languages, publishing and sending."""
    organization = _writer(request, org_slug)
    found = queries.get_bulletin(request.user, bulletin_id, organization)
    action = request.POST.get("action") if request.method == "POST" else None
    forms_ = {
        "bulletin": BulletinEditForm(initial={"title": found.title, "summary": found.summary}),
        "section": SectionForm(),
        "translation": TranslationForm(),
    }
    failed_section, failed_form = None, None
    if action:
        try:
            done = _bulletin_action(request, found, action, forms_)
        except DomainError as error:
            messages.error(request, error.message)
            for item in error.errors:
                messages.error(request, item.message)
            done = None
        if done is not None:
            messages.success(request, done[0])
            return redirect(done[1] or request.path)
        failed_section = request.POST.get("section")
        failed_form = SectionForm(request.POST) if action == "section_update" else None
    news = queries.news_received(request.user, organization).filter(status="submitted")[:50]
    return render(
        request,
        "network/bulletin_edit.html",
        {
            "organization": organization,
            "bulletin": found,
            "sections": [
                (
                    s,
                    failed_form
                    if failed_form is not None and str(s.pk) == failed_section
                    else SectionForm(initial={"heading": s.heading, "body": s.body}, prefix=f"s{s.pk}"),
                )
                for s in found.sections.all()
            ],
            "versions": [v for v in queries.versions_of(found) if v.pk != found.pk],
            "news": news,
            **{f"{name}_form": form for name, form in forms_.items()},
        },
        status=422 if action else 200,
    )


def _bulletin_action(request, found, action: str, forms_: dict):
    """Do one posted action on a bulletin: (message, where to go next), or None with the form's
    errors left in ``forms_``."""
    user, post = request.user, request.POST
    if action == "bulletin":
        form = forms_["bulletin"] = BulletinEditForm(post)
        if form.is_valid():
            bulletin_services.update_bulletin(found, data=form.cleaned_data, actor=user)
            return _("The bulletin is saved."), None
    elif action == "section_add":
        form = forms_["section"] = SectionForm(post)
        if form.is_valid():
            bulletin_services.add_section(found, data=form.cleaned_data, actor=user)
            return _("The section is added."), None
    elif action in ("section_update", "section_delete", "section_up", "section_down"):
        section = queries.get_section(user, found, post.get("section"))
        if action == "section_delete":
            bulletin_services.delete_section(section, actor=user)
            return _("The section is removed."), None
        if action in ("section_up", "section_down"):
            bulletin_services.move_section(section, up=action == "section_up", actor=user)
            return _("The section is moved."), None
        form = SectionForm(post, prefix=f"s{section.pk}")
        if form.is_valid():
            bulletin_services.update_section(section, data=form.cleaned_data, actor=user)
            return _("The section is saved."), None
    elif action == "translation":
        form = forms_["translation"] = TranslationForm(post)
        if form.is_valid():
            version = bulletin_services.create_bulletin(
                found.organization,
                data={
                    "title": found.title,
                    "summary": found.summary,
                    "language": form.cleaned_data["language"],
                    "translation_of": found,
                },
                actor=user,
            )
            return _("A new version is made: translate it."), reverse(
                "bulletin_edit", args=[found.organization.slug, version.pk]
            )
    elif action == "news":
        item = queries.get_news_received(user, found.organization, post.get("item"))
        news_services.use_news(item, bulletin=found, actor=user)
        return _("The news is added as a section."), None
    elif action == "news_decline":
        item = queries.get_news_received(user, found.organization, post.get("item"))
        news_services.decline_news(item, actor=user)
        return _("The news is set aside."), None
    elif action == "publish":
        bulletin_services.publish_bulletin(found, actor=user)
        return _("The bulletin is published."), None
    elif action == "send":
        sending_services.send_edition(found, actor=user)
        return _("The bulletin is being sent to the confirmed subscribers."), None
    return None


@login_required
def news(request, org_slug: str):
    """News for the networks the organization is in."""
    organization = _writer(request, org_slug)
    networks = queries.networks_of(organization)
    form = NewsForm(
        request.POST or None, networks=networks, initial={"language": (organization.languages or ["en"])[0]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            news_services.submit_news(
                organization, network=form.cleaned_data["network"], data=form.cleaned_data, actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The news is sent to the network."))
            return redirect("news", org_slug=organization.slug)
    return render(
        request,
        "network/news.html",
        {
            "organization": organization,
            "form": form if networks.exists() else None,
            "sent": queries.news_sent(request.user, organization)[:50],
        },
        status=422 if form.errors else 200,
    )


# The resource library -------------------------------------------------------------------------------


def _language_name(code: str) -> str:
    return str(dict(global_settings.LANGUAGES).get(code, code))


def _cacheable(response, public: bool):
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    response["Vary"] = "Cookie"
    return response


def resources(request):
    """The library: public resources for everyone, and members-only ones for their members."""
    everything = queries.visible_resources(request.user)
    languages, places = queries.resource_facets(everything)
    form = ResourceFilterForm(
        request.GET or None,
        language_choices=[(code, _language_name(code)) for code in languages],
        country_choices=sorted(((code, countries.name(code)) for code in places), key=lambda c: c[1]),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows, next_cursor = page_of(
        queries.visible_resources(request.user, filters),
        limit=30,
        cursor=request.GET.get("cursor"),
        newest_first=True,
    )
    response = render(
        request,
        "network/resources.html",
        {
            "form": form,
            "rows": rows,
            "next_query": next_page_query(request, next_cursor),
            "filtered": bool(filters and any(filters.values())),
        },
    )
    return _cacheable(response, not request.user.is_authenticated)


def resource(request, resource_id: int):
    found = queries.get_visible_resource(request.user, resource_id)
    response = render(
        request,
        "network/resource.html",
        {
            "resource": found,
            "language_names": [_language_name(code) for code in found.languages],
            "country_names": [countries.name(code) for code in found.countries],
            "topic_names": [str(label) for code, label in Topic.choices if code in found.topics],
        },
    )
    return _cacheable(response, found.is_public)


def resource_file(request, resource_id: int):
    found = queries.get_visible_resource(request.user, resource_id)
    response = attachment(
        queries.resource_content(found), content_type=found.file_type, filename=found.file_name
    )
    if found.is_public:
        response["Cache-Control"] = "public, max-age=300"
    return response


def _resource_data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("file", None)
    return data


@login_required
def resource_list(request, org_slug: str):
    organization = get_organization_with_role(request.user, org_slug, resource_services.RESOURCE_ROLES)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resource_services.save_resource(
                organization, data=_resource_data(form), upload=form.cleaned_data["file"], actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The resource is in the library."))
            return redirect("resource_list", org_slug=organization.slug)
    rows, next_cursor = page_of(
        queries.resources_of(request.user, organization),
        limit=50,
        cursor=request.GET.get("cursor"),
        newest_first=True,
    )
    return render(
        request,
        "network/resource_list.html",
        {
            "organization": organization,
            "form": form,
            "rows": rows,
            "next_query": next_page_query(request, next_cursor),
        },
        status=422 if form.errors else 200,
    )


@login_required
def resource_edit(request, org_slug: str, resource_id: int):
    organization = get_organization_with_role(request.user, org_slug, resource_services.RESOURCE_ROLES)
    found = queries.get_resource(request.user, resource_id, organization)
    initial = {
        "title": found.title,
        "kind": found.kind,
        "audience": found.audience,
        "summary": found.summary,
        "link": found.link,
        "languages": ", ".join(found.languages),
        "countries": ", ".join(found.countries),
        "topics": found.topics,
    }
    if request.method == "POST" and request.POST.get("action") == "delete":
        resource_services.delete_resource(found, actor=request.user)
        messages.success(request, _("The resource is deleted."))
        return redirect("resource_list", org_slug=organization.slug)
    form = ResourceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            resource_services.save_resource(
                organization,
                data=_resource_data(form),
                upload=form.cleaned_data["file"],
                resource=found,
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect("resource_list", org_slug=organization.slug)
    return render(
        request,
        "network/resource_edit.html",
        {"organization": organization, "resource": found, "form": form},
        status=422 if form.errors else 200,
    )


# Events and trainings -------------------------------------------------------------------------------


@cache_control(**PUBLIC_CACHE)
def events(request):
    upcoming = queries.public_events(upcoming=True)[:100]
    past, next_cursor = page_of(
        queries.public_events(upcoming=False), limit=30, cursor=request.GET.get("cursor"), newest_first=True
    )
    return render(
        request,
        "network/events.html",
        {"upcoming": upcoming, "past": past, "next_query": next_page_query(request, next_cursor)},
    )


@cache_control(**PUBLIC_CACHE)
def event(request, event_id: int):
    found = queries.get_public_event(event_id)
    materials = [m for m in found.materials.all() if m.is_public]
    return render(request, "network/event.html", {"event": found, "materials": materials})


def _event_form(request, organization, data=None, initial=None):
    return EventForm(
        data,
        initial=initial,
        organizations=queries.invitable_organizations(organization),
        resources=queries.resources_of(request.user, organization) | queries.visible_resources(None),
    )


@login_required
def event_list(request, org_slug: str):
    organization = get_organization_with_role(request.user, org_slug, event_services.EVENT_ROLES)
    form = _event_form(request, organization, request.POST or None, initial={"registration_open": True})
    if request.method == "POST" and form.is_valid():
        try:
            made = event_services.save_event(organization, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("event_detail", org_slug=organization.slug, event_id=made.pk)
    rows, next_cursor = page_of(
        queries.events_for(request.user, organization),
        limit=50,
        cursor=request.GET.get("cursor"),
        newest_first=True,
    )
    return render(
        request,
        "network/event_list.html",
        {
            "organization": organization,
            "form": form,
            "rows": rows,
            "next_query": next_page_query(request, next_cursor),
        },
        status=422 if form.errors else 200,
    )


@login_required
def event_detail(request, org_slug: str, event_id: int):
    """For an organizer: the event, its registrations with names (an audited read), attendance and
    participation. For an invited organization: the event and the people it registers."""
    organization = get_organization_with_role(request.user, org_slug, event_services.EVENT_ROLES)
    found = queries.get_event_for(request.user, organization, event_id)
    organizer = queries.organizes(found, organization)
    action = request.POST.get("action") if request.method == "POST" else None
    registration_form = RegistrationForm(request.POST if action == "register" else None)
    edit_form = None
    if organizer:
        initial = {
            name: getattr(found, name)
            for name in (
                "kind",
                "title",
                "starts_on",
                "ends_on",
                "place",
                "online_link",
                "description",
                "capacity",
                "is_public",
                "registration_open",
            )
        }
        initial.update(
            co_organizers=list(found.co_organizers.all()),
            invited=list(found.invited.all()),
            materials=list(found.materials.all()),
        )
        edit_form = _event_form(
            request, organization, request.POST if action == "edit" else None, initial=initial
        )
    try:
        if action == "edit" and edit_form is not None and found.organization_id == organization.pk:
            if edit_form.is_valid():
                event_services.save_event(
                    organization, data=edit_form.cleaned_data, event=found, actor=request.user
                )
                messages.success(request, _("The event is saved."))
                return redirect(request.path)
        elif action == "register" and registration_form.is_valid():
            data = dict(registration_form.cleaned_data)
            number = data.pop("member_number")
            data["member"] = queries.member_by_number(request.user, organization, number)
            if number and data["member"] is None:
                registration_form.add_error("member_number", _("No member has this number."))
            else:
                event_services.register_person(found, organization, data=data, actor=request.user)
                messages.success(request, _("She is registered."))
                return redirect(request.path)
        elif action in ("present", "absent", "unknown", "cancel"):
            registration = queries.get_registration(found, organization, request.POST.get("registration"))
            if action == "cancel":
                event_services.cancel_registration(registration, actor=request.user)
            else:
                event_services.set_attendance(
                    registration, attendance="" if action == "unknown" else action, actor=request.user
                )
            return redirect(request.path)
    except DomainError as error:
        add_domain_error(registration_form if action == "register" else edit_form or registration_form, error)
    registrations = list(queries.registrations_seen_by(found, organization))
    names = event_services.registration_names(registrations, actor=request.user, reason="event attendance")
    return render(
        request,
        "network/event_detail.html",
        {
            "organization": organization,
            "event": found,
            "organizer": organizer,
            "owner": found.organization_id == organization.pk,
            "edit_form": edit_form,
            "registration_form": registration_form,
            "registrations": [(r, names.get(r.pk, "")) for r in registrations],
            "participation": queries.participation(found) if organizer else None,
        },
        status=422 if action and request.method == "POST" else 200,
    )

"""Writes of the directory and of affiliation requests. Every change is audited."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from doorstep.core import audit, ordering, tenancy, throttle, vault
from doorstep.core.errors import FieldError, Throttled, ValidationError
from doorstep.core.html import clean_html
from doorstep.core.inputs import web_link
from doorstep.core.roles import ADMIN_ROLES, Role
from doorstep.core.sectors import Sector
from doorstep.organizations.models import Organization

from .models import AffiliationRequest, Bulletin, BulletinSection, Delivery, Listing, NewsItem, Subscriber

LISTING_FIELDS = (
    "listed",
    "description",
    "area",
    "sectors",
    "declared_members",
    "email",
    "phone",
    "website",
    "postal_address",
)


def save_listing(organization: Organization, *, data: dict, actor) -> Listing:
    """Create or change the organization's directory entry (its admins, or a platform admin for an
    organization that has no users yet)."""
    if not actor.is_superuser:
        tenancy.require_role(actor, organization, ADMIN_ROLES)
    unknown = [code for code in data.get("sectors") or [] if code not in Sector.values]
    if unknown:
        raise ValidationError.for_field(
            "sectors", _("Unknown sector: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
        )
    if data.get("declared_members") is not None and data["declared_members"] < 0:
        raise ValidationError.for_field("declared_members", _("The number of members cannot be negative."))
    with transaction.atomic():
        listing = Listing.objects.select_for_update().filter(organization=organization).first()
        listing = listing or Listing(organization=organization)
        changed = []
        for name in LISTING_FIELDS:
            if name in data and getattr(listing, name) != data[name]:
                setattr(listing, name, data[name])
                changed.append(name)
        try:
            listing.full_clean(exclude=["organization"])
        except DjangoValidationError as error:
            raise ValidationError.from_django(error, _("The directory entry could not be saved.")) from None
        listing.save()
        audit.record(
            "directory.listing_saved",
            actor=actor,
            organization=organization,
            obj=listing,
            metadata={"fields": changed, "listed": listing.listed},
        )
    return listing


def request_affiliation(organization: Organization, *, network: Organization, message: str, actor):
    """The organization's admin asks ``network`` to take it in."""
    tenancy.require_role(actor, organization, ADMIN_ROLES)
    if not network.is_network or not network.is_active:
        raise ValidationError.for_field("network", _("Only an active network can take affiliates."))
    if network.pk == organization.pk:
        raise ValidationError.for_field("network", _("An organization cannot join itself."))
    from doorstep.organizations.models import Affiliation

    if Affiliation.objects.filter(member=organization, network=network, until__isnull=True).exists():
        raise ValidationError.for_field(
            "network", _("%(organization)s is already in %(network)s.") % _names(organization, network)
        )
    try:
        with transaction.atomic():
            request = AffiliationRequest.objects.create(
                organization=organization, network=network, message=message.strip(), requested_by=actor
            )
    except IntegrityError:
        raise ValidationError.for_field(
            "network",
            _("%(organization)s has already asked to join %(network)s.") % _names(organization, network),
            code="already_requested",
        ) from None
    audit.record(
        "affiliation.requested",
        actor=actor,
        organization=organization,
        obj=request,
        metadata={"network_id": network.pk},
    )
    return request


def _names(organization, network) -> dict:
    return {"organization": organization.name, "network": network.name}


def _check_pending(request: AffiliationRequest) -> None:
    if request.status != AffiliationRequest.Status.PENDING:
        raise ValidationError(
            message=_("This request has already been answered (%(status)s).")
            % {"status": request.get_status_display()},
            code="already_decided",
        )


def decide_request(request: AffiliationRequest, *, approve: bool, answer: str = "", actor):
    """The network's admin approves (the affiliation starts today) or declines a request."""
    from doorstep.organizations.services import add_affiliation

    tenancy.require_role(actor, request.network, ADMIN_ROLES)
    with transaction.atomic():
        request = AffiliationRequest.objects.select_for_update().get(pk=request.pk)
        _check_pending(request)
        if approve:
            add_affiliation(member=request.organization, network=request.network, actor=actor)
        request.status = AffiliationRequest.Status.APPROVED if approve else AffiliationRequest.Status.DECLINED
        request.answer = answer.strip()
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "answer", "decided_by", "decided_at"])
        audit.record(
            "affiliation.request_decided",
            actor=actor,
            organization=request.network,
            obj=request,
            metadata={"status": request.status, "organization_id": request.organization_id},
        )
    return request


def withdraw_request(request: AffiliationRequest, *, actor):
    tenancy.require_role(actor, request.organization, ADMIN_ROLES)
    with transaction.atomic():
        request = AffiliationRequest.objects.select_for_update().get(pk=request.pk)
        _check_pending(request)
        request.status = AffiliationRequest.Status.WITHDRAWN
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            "affiliation.request_withdrawn", actor=actor, organization=request.organization, obj=request
        )
    return request


# Bulletins ----------------------------------------------------------------------------------------

BULLETIN_ROLES = frozenset({Role.ORGANIZER, Role.ORG_ADMIN})


def _check_language(language: str, field: str = "language") -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError.for_field(field, _("Doorstep has no such language."))
    return language


def _bulletin_fields(data: dict) -> dict:
    fields = {}
    if "title" in data:
        title = (data["title"] or "").strip()
        if not title:
            raise ValidationError.for_field("title", _("A bulletin needs a title."))
        fields["title"] = title[:200]
    if "summary" in data:
        fields["summary"] = (data["summary"] or "").strip()[:1000]
    if "language" in data:
        fields["language"] = _check_language(data["language"])
    return fields


def create_bulletin(organization: Organization, *, data: dict, actor) -> Bulletin:
    """A new draft, or (``translation_of``) a new language version of an existing bulletin, which
    starts as a copy of it to translate."""
    tenancy.require_role(actor, organization, BULLETIN_ROLES)
    fields = _bulletin_fields({"title": "", "summary": "", "language": "", **data})
    source = data.get("translation_of")
    with transaction.atomic():
        if source is not None:
            if source.organization_id != organization.pk:
                raise ValidationError.for_field("translation_of", _("No such bulletin."))
            if Bulletin.objects.filter(
                organization=organization, edition=source.edition, language=fields["language"]
            ).exists():
                raise ValidationError.for_field(
                    "language", _("This bulletin already has a version in that language.")
                )
        bulletin = Bulletin.objects.create(
            organization=organization,
            edition=source.edition if source is not None else uuid.uuid4(),
            created_by=actor,
            **fields,
        )
        if source is not None:
            BulletinSection.objects.bulk_create(
                BulletinSection(
                    organization=organization,
                    bulletin=bulletin,
                    position=section.position,
                    heading=section.heading,
                    body=section.body,
                    news_item=section.news_item,
                )
                for section in source.sections.all()
            )
        audit.record(
            "bulletin.created",
            actor=actor,
            organization=organization,
            obj=bulletin,
            metadata={"language": bulletin.language, "translation_of": getattr(source, "pk", None)},
        )
    return bulletin


def update_bulletin(bulletin: Bulletin, *, data: dict, actor) -> Bulletin:
    tenancy.require_role(actor, bulletin.organization_id, BULLETIN_ROLES)
    fields = _bulletin_fields({k: v for k, v in data.items() if k in ("title", "summary")})
    with transaction.atomic():
        for name, value in fields.items():
            setattr(bulletin, name, value)
        bulletin.save()
        audit.record("bulletin.updated", actor=actor, organization=bulletin.organization_id, obj=bulletin)
    return bulletin


def _section_fields(data: dict) -> dict:
    heading = (data.get("heading") or "").strip()
    body = clean_html(data.get("body") or "")
    errors = []
    if not heading:
        errors.append(FieldError("heading", _("A section needs a heading.")))
    if not body:
        errors.append(
            FieldError("body", _("A section needs some text (what is left once unsafe parts are removed)."))
        )
    if errors:
        raise ValidationError(message=_("The section could not be saved."), errors=errors)
    return {"heading": heading[:200], "body": body}


def add_section(
    bulletin: Bulletin, *, data: dict, actor, news_item: NewsItem | None = None
) -> BulletinSection:
    tenancy.require_role(actor, bulletin.organization_id, BULLETIN_ROLES)
    fields = _section_fields(data)
    with transaction.atomic():
        last = bulletin.sections.order_by("-position").values_list("position", flat=True).first()
        section = BulletinSection.objects.create(
            organization_id=bulletin.organization_id,
            bulletin=bulletin,
            position=(last or 0) + 1,
            news_item=news_item,
            **fields,
        )
        audit.record(
            "bulletin.section_added", actor=actor, organization=bulletin.organization_id, obj=section
        )
    return section


def update_section(section: BulletinSection, *, data: dict, actor) -> BulletinSection:
    tenancy.require_role(actor, section.organization_id, BULLETIN_ROLES)
    fields = _section_fields(data)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(section, name, value)
        section.save()
        audit.record(
            "bulletin.section_updated", actor=actor, organization=section.organization_id, obj=section
        )
    return section


def delete_section(section: BulletinSection, *, actor) -> None:
    tenancy.require_role(actor, section.organization_id, BULLETIN_ROLES)
    with transaction.atomic():
        audit.record(
            "bulletin.section_deleted", actor=actor, organization=section.organization_id, obj=section
        )
        section.delete()


def move_section(section: BulletinSection, *, up: bool, actor) -> None:
    """Swap the section with the one before (``up``) or after it."""
    tenancy.require_role(actor, section.organization_id, BULLETIN_ROLES)
    ordering.move(section, section.bulletin.sections.all(), up=up)


def publish_bulletin(bulletin: Bulletin, *, actor) -> Bulletin:
    """Show the bulletin in the public archive and feed (it can still be corrected afterwards)."""
    tenancy.require_role(actor, bulletin.organization_id, BULLETIN_ROLES)
    if not bulletin.sections.exists():
        raise ValidationError(message=_("Add at least one section before publishing."), code="empty_bulletin")
    with transaction.atomic():
        if not bulletin.is_published:
            bulletin.status = Bulletin.Status.PUBLISHED
            bulletin.published_at = timezone.now()
            bulletin.save(update_fields=["status", "published_at", "updated_at"])
            audit.record(
                "bulletin.published", actor=actor, organization=bulletin.organization_id, obj=bulletin
            )
    return bulletin


# News from affiliates -------------------------------------------------------------------------------


def submit_news(organization: Organization, *, network: Organization, data: dict, actor) -> NewsItem:
    """An affiliate sends news to one of its networks for the next bulletin."""
    from doorstep.organizations.models import Affiliation

    tenancy.require_role(actor, organization, BULLETIN_ROLES)
    if not Affiliation.objects.filter(member=organization, network=network, until__isnull=True).exists():
        raise ValidationError.for_field(
            "network", _("%(organization)s is not in %(network)s.") % _names(organization, network)
        )
    title = (data.get("title") or "").strip()
    body = clean_html(data.get("body") or "")
    errors = []
    if not title:
        errors.append(FieldError("title", _("News needs a title.")))
    if not body:
        errors.append(
            FieldError("body", _("News needs some text (what is left once unsafe parts are removed)."))
        )
    if errors:
        raise ValidationError(message=_("The news could not be sent."), errors=errors)
    with transaction.atomic():
        item = NewsItem.objects.create(
            organization=organization,
            network=network,
            title=title[:200],
            body=body,
            language=_check_language(data.get("language") or "en"),
            submitted_by=actor,
        )
        audit.record(
            "news.submitted",
            actor=actor,
            organization=organization,
            obj=item,
            metadata={"network_id": network.pk},
        )
    return item


def use_news(item: NewsItem, *, bulletin: Bulletin, actor) -> BulletinSection:
    """Put an affiliate's news into a bulletin of the network as a new section."""
    if bulletin.organization_id != item.network_id:
        raise ValidationError.for_field("bulletin", _("No such bulletin."))
    with transaction.atomic():
        section = add_section(
            bulletin,
            data={
                "heading": item.title,
                "body": item.body + f"<p><em>{escape(item.organization.name)}</em></p>",
            },
            actor=actor,
            news_item=item,
        )
        NewsItem.objects.filter(pk=item.pk).update(status=NewsItem.Status.USED)
    return section


def decline_news(item: NewsItem, *, actor) -> None:
    tenancy.require_role(actor, item.network_id, BULLETIN_ROLES)
    with transaction.atomic():
        NewsItem.objects.filter(pk=item.pk).update(status=NewsItem.Status.DECLINED)
        audit.record("news.declined", actor=actor, organization=item.network_id, obj=item)


# Subscribers: double opt-in -------------------------------------------------------------------------

CONFIRM_SALT = "doorstep.network.subscription.confirm"
UNSUBSCRIBE_SALT = "doorstep.network.subscription.unsubscribe"
CONFIRM_DAYS = 7
SUBSCRIBE_LIMIT = 10  # attempts an hour from one address


class InvalidLink(Exception):
    """A confirmation or unsubscribe link that was not made here, was altered, or has expired."""


def _normalize_email(raw: str) -> str:
    from django.core.validators import validate_email

    email = (raw or "").strip()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationError.for_field("email", _("Enter a valid e-mail address.")) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _token(subscriber: Subscriber, salt: str) -> str:
    return signing.dumps(
        {"o": subscriber.organization_id, "s": subscriber.pk, "k": str(subscriber.key_id)[:8]}, salt=salt
    )


def _subscriber_from(token: str, salt: str, max_age=None) -> tuple[int, Subscriber | None]:
    """(organization id, the subscriber or None if she is gone); ``InvalidLink`` for a bad token."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        organization_id, pk, key = int(data["o"]), int(data["s"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidLink from None
    subscriber = Subscriber.objects.filter(pk=pk, organization_id=organization_id).first()
    if subscriber is not None and str(subscriber.key_id)[:8] != key:
        subscriber = None  # the same number, someone else now
    return organization_id, subscriber


def email_of(subscriber: Subscriber) -> str:
    return vault.open_sealed(subscriber.key, bytes(subscriber.sealed), purpose="subscriber.email")["email"]


def subscribe(organization: Organization, *, email: str, language: str, address: str | None) -> None:
    """Ask for an organization's bulletins. A confirmation link goes to the address; nothing is sent
    to it until the link is followed. The answer is the same whether the address was known or not."""
    if not throttle.allow(
        f"subscribe:{organization.pk}", address, limit=SUBSCRIBE_LIMIT, window_seconds=3600
    ):
        raise Throttled(message=_("Too many attempts from this connection. Please try again in an hour."))
    email = _normalize_email(email)
    language = _check_language(language)
    index = vault.blind_index(organization, "subscriber_email", email.lower())
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(organization=organization, email_index=index)
            .first()
        )
        if subscriber is None:
            key = vault.new_subject_key(organization)
            subscriber = Subscriber.objects.create(
                organization=organization,
                key=key,
                sealed=vault.seal(key, {"email": email}, purpose="subscriber.email"),
                email_index=index,
                language=language,
            )
            audit.record("subscriber.added", actor=None, organization=organization, obj=subscriber)
        elif subscriber.status == Subscriber.Status.CONFIRMED:
            return  # already receiving them: say nothing more
        recently = (
            subscriber.confirmation_sent_at
            and timezone.now() - subscriber.confirmation_sent_at < timedelta(minutes=5)
        )
        if recently:
            return
        subscriber.language = language
        subscriber.confirmation_sent_at = timezone.now()
        subscriber.save(update_fields=["language", "confirmation_sent_at"])
        transaction.on_commit(lambda: _send_confirmation(subscriber.pk))


def _send_confirmation(subscriber_id: int) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    subscriber = Subscriber.objects.select_related("organization", "key").get(pk=subscriber_id)
    link = settings.BASE_URL + reverse("bulletin_confirm", args=[_token(subscriber, CONFIRM_SALT)])
    with translation.override(subscriber.language):
        context = {"organization": subscriber.organization, "link": link, "days": CONFIRM_DAYS}
        send_mail(
            _("Confirm: bulletins of %(name)s") % {"name": subscriber.organization.name},
            render_to_string("network/email/confirm.txt", context),
            None,
            [email_of(subscriber)],
        )


def confirm_subscription(token: str) -> tuple[Organization, bool]:
    """(organization, True if this confirmed it; False if it already was). ``InvalidLink`` for a
    forged, altered or expired link, or one whose subscription is gone."""
    organization_id, subscriber = _subscriber_from(token, CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS))
    if subscriber is None:
        raise InvalidLink
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return Organization.objects.get(pk=organization_id), False
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
        audit.record("subscriber.confirmed", actor=None, organization=organization_id, obj=subscriber)
    return Organization.objects.get(pk=organization_id), True


def check_unsubscribe_link(token: str) -> Organization:
    organization_id, _subscriber = _subscriber_from(token, UNSUBSCRIBE_SALT)
    return Organization.objects.get(pk=organization_id)


def unsubscribe(token: str) -> Organization:
    """Delete the subscription and destroy the key its address was sealed with. Following the link
    again answers the same (she is not subscribed); a forged link raises ``InvalidLink``."""
    organization_id, subscriber = _subscriber_from(token, UNSUBSCRIBE_SALT)
    if subscriber is not None:
        with transaction.atomic():
            key = subscriber.key
            audit.record("subscriber.removed", actor=None, organization=organization_id, obj=subscriber)
            subscriber.delete()
            vault.shred(key)
    return Organization.objects.get(pk=organization_id)


def unsubscribe_link(subscriber: Subscriber) -> str:
    from django.urls import reverse

    return settings.BASE_URL + reverse("bulletin_unsubscribe", args=[_token(subscriber, UNSUBSCRIBE_SALT)])


# Sending ---------------------------------------------------------------------------------------------


def send_edition(bulletin: Bulletin, *, actor) -> None:
    """Send this issue, each subscriber in her language where it has a version in it (else in this
    one), as a background job. Run again, it sends only to those who did not get it yet."""
    tenancy.require_role(actor, bulletin.organization_id, BULLETIN_ROLES)
    if not bulletin.is_published:
        raise ValidationError(message=_("Publish the bulletin before sending it."), code="not_published")
    from . import tasks

    with transaction.atomic():
        audit.record(
            "bulletin.send_requested", actor=actor, organization=bulletin.organization_id, obj=bulletin
        )
        transaction.on_commit(lambda: tasks.deliver_edition.enqueue(bulletin.pk))


def deliver_edition(bulletin_id: int) -> int:
    """Send the issue of ``bulletin_id`` to every confirmed subscriber who has not had it; returns how
    many were sent. Each e-mail has the subscriber's own unsubscribe link (and List-Unsubscribe)."""
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.urls import reverse

    fallback = Bulletin.objects.select_related("organization").get(pk=bulletin_id)
    versions = {
        b.language: b
        for b in Bulletin.objects.filter(
            organization_id=fallback.organization_id,
            edition=fallback.edition,
            status=Bulletin.Status.PUBLISHED,
        ).prefetch_related("sections")
    }
    done = Delivery.objects.filter(edition=fallback.edition).values("subscriber_id")
    waiting = (
        Subscriber.objects.filter(
            organization_id=fallback.organization_id, status=Subscriber.Status.CONFIRMED
        )
        .exclude(pk__in=done)
        .select_related("key")
        .order_by("pk")
    )
    sent = 0
    for subscriber in waiting.iterator(chunk_size=500):
        bulletin = versions.get(subscriber.language, fallback)
        link = unsubscribe_link(subscriber)
        online = settings.BASE_URL + reverse("bulletin", args=[fallback.organization.slug, bulletin.pk])
        with translation.override(bulletin.language):
            context = {
                "bulletin": bulletin,
                "organization": fallback.organization,
                "unsubscribe": link,
                "online": online,
            }
            message = EmailMultiAlternatives(
                subject=bulletin.title,
                body=render_to_string("network/email/bulletin.txt", context),
                to=[email_of(subscriber)],
                headers={
                    "List-Unsubscribe": f"<{link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
            message.attach_alternative(render_to_string("network/email/bulletin.html", context), "text/html")
        message.send()
        Delivery.objects.create(
            organization_id=fallback.organization_id,
            edition=fallback.edition,
            subscriber=subscriber,
            bulletin=bulletin,
        )
        sent += 1
    now = timezone.now()
    Bulletin.objects.filter(pk__in=[b.pk for b in versions.values()], sent_at__isnull=True).update(
        sent_at=now
    )
    audit.record(
        "bulletin.sent",
        actor=None,
        organization=fallback.organization_id,
        obj=fallback,
        metadata={"recipients": sent},
    )
    return sent


# The resource library -----------------------------------------------------------------------------------

RESOURCE_ROLES = BULLETIN_ROLES


def _codes(values, field: str, check) -> list[str]:
    """Codes from a list or a comma-separated text, each checked by ``check`` (code or "" when
    unknown); one error naming every unknown value."""
    if isinstance(values, str):
        values = values.split(",")
    codes, unknown = [], []
    for raw in values or []:
        text = str(raw).strip()
        if not text:
            continue
        code = check(text)
        if code:
            if code not in codes:
                codes.append(code)
        else:
            unknown.append(text)
    if unknown:
        message = (
            _("Unknown country: %(values)s.") if field == "countries" else _("Unknown language: %(values)s.")
        ) % {"values": ", ".join(unknown)}
        raise ValidationError.for_field(field, message)
    return codes


def _language_code(text: str) -> str:
    from django.conf import global_settings

    code = text.lower().replace("_", "-")
    known = {c for c, _name in global_settings.LANGUAGES}
    return code if code in known else ""


def _resource_fields(data: dict) -> dict:
    from doorstep.core.inputs import country_code

    from .models import Resource, Topic

    fields, errors = {}, []
    if "title" in data:
        fields["title"] = (data["title"] or "").strip()[:200]
        if not fields["title"]:
            errors.append(FieldError("title", _("A resource needs a title.")))
    if "summary" in data:
        fields["summary"] = clean_html(data["summary"] or "")
    if "kind" in data:
        if data["kind"] not in Resource.Kind.values:
            errors.append(FieldError("kind", _("Unknown kind of resource.")))
        fields["kind"] = data["kind"]
    if "audience" in data:
        if data["audience"] not in Resource.Audience.values:
            errors.append(FieldError("audience", _("Unknown audience.")))
        fields["audience"] = data["audience"]
    if "link" in data:
        fields["link"] = web_link(data["link"], "link", errors)
    if "topics" in data:
        unknown = [t for t in data["topics"] or [] if t not in Topic.values]
        if unknown:
            errors.append(
                FieldError("topics", _("Unknown topic: %(values)s.") % {"values": ", ".join(unknown)})
            )
        fields["topics"] = [t for t in Topic.values if t in (data["topics"] or [])]
    for name, check in (("languages", _language_code), ("countries", country_code)):
        if name in data:
            try:
                fields[name] = _codes(data[name], name, check)
            except ValidationError as error:
                errors.extend(error.errors)
    if errors:
        raise ValidationError(message=_("The resource could not be saved."), errors=errors)
    return fields


def _stored_file(upload) -> tuple[str, str, bytes] | None:
    """(name, content type, bytes) of an uploaded file checked by its first bytes, or None."""
    if upload is None:
        return None
    from doorstep.core.uploads import MAX_DOCUMENT_BYTES, check_document

    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    name, content_type = check_document(getattr(upload, "name", ""), data)
    return name, content_type, data


def save_resource(organization: Organization, *, data: dict, upload=None, resource=None, actor):
    """Add a resource to the organization's library, or change one (only the fields given; a new
    file replaces the old). A resource needs a file or a link."""
    from .models import Resource, ResourceFile

    tenancy.require_role(actor, organization, RESOURCE_ROLES)
    if resource is None:
        data = {
            "summary": "",
            "link": "",
            "languages": [],
            "topics": [],
            "countries": [],
            "audience": "public",
            **data,
        }
        for required in ("title", "kind"):
            data.setdefault(required, "")
    fields = _resource_fields(data)
    stored = _stored_file(upload)
    has_file = stored is not None or (resource is not None and resource.file_size > 0)
    link = fields.get("link", resource.link if resource is not None else "")
    if not has_file and not link:
        raise ValidationError.for_field("link", _("Give a file or a link."))
    with transaction.atomic():
        if resource is None:
            resource = Resource(organization=organization, created_by=actor)
        for name, value in fields.items():
            setattr(resource, name, value)
        if stored is not None:
            resource.file_name, resource.file_type = stored[0], stored[1]
            resource.file_size = len(stored[2])
        resource.save()
        if stored is not None:
            ResourceFile.objects.update_or_create(
                resource=resource, defaults={"organization": organization, "content": stored[2]}
            )
        audit.record(
            "resource.saved",
            actor=actor,
            organization=organization,
            obj=resource,
            metadata={"fields": sorted(fields), "file": stored is not None, "audience": resource.audience},
        )
    return resource


def delete_resource(resource, *, actor) -> None:
    tenancy.require_role(actor, resource.organization_id, RESOURCE_ROLES)
    with transaction.atomic():
        audit.record("resource.deleted", actor=actor, organization=resource.organization_id, obj=resource)
        resource.delete()


# Events and trainings -------------------------------------------------------------------------------

EVENT_ROLES = BULLETIN_ROLES
REGISTRATION_PURPOSE = "event.registration"


def _event_fields(data: dict, organization) -> dict:
    from .models import Event, Resource

    fields, errors = {}, []
    for name in ("title", "description", "place", "online_link", "kind"):
        if name in data:
            fields[name] = (data[name] or "").strip()
    if "title" in fields and not fields["title"]:
        errors.append(FieldError("title", _("An event needs a title.")))
    if "kind" in fields and fields["kind"] not in Event.Kind.values:
        errors.append(FieldError("kind", _("Unknown kind of event.")))
    if "description" in fields:
        fields["description"] = clean_html(fields["description"])
    if "online_link" in fields:
        fields["online_link"] = web_link(fields["online_link"], "online_link", errors)
    for name in ("starts_on", "ends_on", "is_public", "registration_open", "capacity"):
        if name in data:
            fields[name] = data[name]
    if "starts_on" in data and not data["starts_on"]:
        errors.append(FieldError("starts_on", _("An event needs a date.")))
    if fields.get("capacity") is not None and fields["capacity"] < 1:
        errors.append(FieldError("capacity", _("Give at least one place, or leave it blank for no limit.")))
    related = {}
    for name in ("co_organizers", "invited"):
        if name in data:
            ids = [getattr(o, "pk", o) for o in data[name] or []]
            found = list(
                Organization.objects.filter(pk__in=ids, is_active=True)
                .exclude(pk=organization.pk)
                .exclude(kind=Organization.Kind.COMPANY)
            )
            if len(found) != len(set(ids) - {organization.pk}):
                errors.append(FieldError(name, _("Choose active organizations (not a company).")))
            related[name] = found
    if "materials" in data:
        ids = [getattr(r, "pk", r) for r in data["materials"] or []]
        found = list(
            Resource.objects.filter(pk__in=ids).filter(Q(organization=organization) | Q(audience="public"))
        )
        if len(found) != len(set(ids)):
            errors.append(FieldError("materials", _("Choose resources of your library or public ones.")))
        related["materials"] = found
    if errors:
        raise ValidationError(message=_("The event could not be saved."), errors=errors)
    return fields, related


def save_event(organization: Organization, *, data: dict, event=None, actor):
    """Create or change an event (only the fields given)."""
    from .models import Event

    tenancy.require_role(actor, organization, EVENT_ROLES)
    fields, related = _event_fields(data, organization)
    with transaction.atomic():
        if event is None:
            event = Event(organization=organization, created_by=actor, kind=Event.Kind.MEETING)
        for name, value in fields.items():
            setattr(event, name, value)
        if event.ends_on and event.starts_on and event.ends_on < event.starts_on:
            raise ValidationError.for_field("ends_on", _("The event cannot end before it starts."))
        event.save()
        for name, values in related.items():
            getattr(event, name).set(values)
        audit.record(
            "event.saved",
            actor=actor,
            organization=organization,
            obj=event,
            metadata={"fields": sorted(fields)},
        )
    return event


def _organizes(event, organization_id: int) -> bool:
    return event.organization_id == organization_id or event.co_organizers.filter(pk=organization_id).exists()


def register_person(event, organization: Organization, *, data: dict, actor):
    """The organization sends someone to the event: a member (by her record) or anyone else. The
    name given is sealed; the organizers read it to take attendance."""
    from doorstep.members.models import Gender, Member

    from .models import Registration

    tenancy.require_role(actor, organization, EVENT_ROLES)
    if not (_organizes(event, organization.pk) or event.invited.filter(pk=organization.pk).exists()):
        raise ValidationError(
            message=_("This organization is not invited to this event."), code="not_invited"
        )
    if not event.registration_open:
        raise ValidationError(message=_("Registration for this event is closed."), code="closed")
    name = (data.get("name") or "").strip()
    errors = []
    member = data.get("member")
    if member is not None and member.organization_id != organization.pk:
        errors.append(FieldError("member", _("No such member.")))
    if not name:
        errors.append(FieldError("name", _("Give the name the organizers will know her by.")))
    gender = data.get("gender") or ""
    if gender and gender not in Gender.values:
        errors.append(FieldError("gender", _("Unknown gender.")))
    if errors:
        raise ValidationError(message=_("The registration could not be saved."), errors=errors)
    if isinstance(member, Member) and not gender:
        gender = member.gender or ""
    with transaction.atomic():
        locked = type(event).objects.select_for_update().get(pk=event.pk)
        if locked.capacity is not None and locked.registrations.count() >= locked.capacity:
            raise ValidationError(message=_("The event is full."), code="full")
        if member is not None and locked.registrations.filter(member=member).exists():
            raise ValidationError.for_field("member", _("She is already registered."))
        key = vault.new_subject_key(organization)
        registration = Registration.objects.create(
            organization=organization,
            event=locked,
            member=member,
            key=key,
            sealed=vault.seal(key, {"name": name[:200]}, purpose=REGISTRATION_PURPOSE),
            gender=gender,
            role=(data.get("role") or "").strip()[:100],
            registered_by=actor,
        )
        audit.record(
            "event.registered",
            actor=actor,
            organization=organization,
            obj=registration,
            metadata={"event_id": event.pk},
        )
    return registration


def _may_change_registration(registration, actor) -> None:
    roles = tenancy.roles_by_organization(actor)
    allowed = {registration.organization_id, registration.event.organization_id}
    allowed |= set(registration.event.co_organizers.values_list("pk", flat=True))
    if not any(roles.get(pk) in EVENT_ROLES for pk in allowed):
        from django.http import Http404

        raise Http404


def set_attendance(registration, *, attendance: str, actor):
    from .models import Registration

    _may_change_registration(registration, actor)
    if attendance not in Registration.Attendance.values:
        raise ValidationError.for_field("attendance", _("Unknown attendance."))
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(attendance=attendance)
        audit.record(
            "event.attendance",
            actor=actor,
            organization=registration.event.organization_id,
            obj=registration,
            metadata={"attendance": attendance},
        )
    registration.attendance = attendance
    return registration


def cancel_registration(registration, *, actor) -> None:
    _may_change_registration(registration, actor)
    with transaction.atomic():
        key = registration.key
        audit.record(
            "event.registration_cancelled",
            actor=actor,
            organization=registration.organization_id,
            obj=registration,
        )
        registration.delete()
        vault.shred(key)


def registration_names(registrations, *, actor, reason: str) -> dict[int, str]:
    """The names on registrations the actor may read (the caller checked), one audit event."""
    registrations = list(registrations)
    if not registrations:
        return {}
    names = {
        r.pk: vault.open_sealed(r.key, bytes(r.sealed), purpose=REGISTRATION_PURPOSE)["name"]
        for r in registrations
    }
    audit.record_reads(
        "event.names_read",
        actor=actor,
        rows=registrations,
        object_type="network.registration",
        ids_key="registration_ids",
        reason=reason,
    )
    return names


# A member's rights over her registrations (registered with core.rights).


def export_registrations(member) -> dict[str, list[dict]]:
    from .models import Registration

    rows = []
    for registration in Registration.objects.filter(member=member).select_related("event", "key"):
        rows.append(
            {
                "event": registration.event.title,
                "kind": registration.event.kind,
                "starts_on": registration.event.starts_on.isoformat(),
                "name_given": vault.open_sealed(
                    registration.key, bytes(registration.sealed), purpose=REGISTRATION_PURPOSE
                )["name"],
                "role": registration.role,
                "attendance": registration.attendance,
            }
        )
    return {"events": rows}


def erase_registrations(member) -> None:
    from .models import Registration

    for registration in Registration.objects.filter(member=member).select_related("key"):
        key = registration.key
        registration.delete()
        vault.shred(key)


def move_registrations(source, target) -> None:
    from .models import Registration

    for registration in Registration.objects.filter(member=source):
        if Registration.objects.filter(event_id=registration.event_id, member=target).exists():
            key = registration.key
            registration.delete()
            vault.shred(key)
        else:
            Registration.objects.filter(pk=registration.pk).update(member=target)

"""News from affiliates: an affiliate sends news to its network, which uses it as a section of a
bulletin or declines it."""

from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.html import clean_html
from doorstep.organizations.models import Affiliation, Organization

from ..models import Bulletin, BulletinSection, NewsItem
from ._common import _check_language, _names
from .bulletins import BULLETIN_ROLES, add_section


def submit_news(organization: Organization, *, network: Organization, data: dict, actor) -> NewsItem:
    """An affiliate sends news to one of its networks for the next bulletin."""
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

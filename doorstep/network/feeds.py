"""The Atom feed of an organization's published bulletins (RFC 4287), one entry per language version."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import queries


class MultilingualAtomFeed(Atom1Feed):
    """Atom with each entry's own language (``xml:lang``), since a feed may hold several."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class BulletinFeed(Feed):
    feed_type = MultilingualAtomFeed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj[1]  # the language asked for; none for a feed of all languages
        feed.feed["id"] = request.build_absolute_uri()  # an absolute IRI, one per feed (and language)
        return feed

    def get_object(self, request, slug: str):
        language = request.GET.get("lang") or None
        organization, bulletins = queries.published_bulletins(slug, language)
        return organization, language, list(bulletins.prefetch_related("sections")[:30])

    def title(self, obj):
        return _("Bulletins of %(name)s") % {"name": obj[0].name}

    def link(self, obj):
        return reverse("bulletin_archive", args=[obj[0].slug])

    def subtitle(self, obj):
        return _("News from %(name)s, published on Doorstep.") % {"name": obj[0].name}

    def author_name(self, obj):
        return obj[0].name

    def items(self, obj):
        return obj[2]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return reverse("bulletin", args=[item.organization.slug, item.pk])

    def item_description(self, item):
        parts = [f"<p>{escape(item.summary)}</p>"] if item.summary else []
        parts += [f"<h3>{escape(section.heading)}</h3>{section.body}" for section in item.sections.all()]
        return "".join(parts)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_extra_kwargs(self, item):
        return {"language": item.language}

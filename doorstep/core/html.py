"""Rich text people write (bulletins, resources): kept as a small, safe subset of HTML.

What comes in may be plain text (paragraphs separated by blank lines) or HTML pasted from elsewhere.
``clean_html`` keeps only the tags and attributes below (``nh3``, the ammonia sanitizer): no
script, style, event handler, image, frame or form survives, links keep only web and mail addresses
and get ``rel="noopener noreferrer nofollow"``. Stored cleaned, and cleaned again on the way out.
"""

import html as entities
import re

import nh3
from django.utils.html import escape, strip_tags

TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "a",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
    "q",
    "cite",
}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "q": {"cite"}, "blockquote": {"cite"}}
SCHEMES = {"http", "https", "mailto"}
DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math"}
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def clean_html(text: str) -> str:
    """Safe HTML from what a person wrote: plain text becomes paragraphs, HTML is sanitized."""
    text = (text or "").strip()
    if not text:
        return ""
    if not _LOOKS_LIKE_HTML.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(
        text,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The words of cleaned HTML, for e-mails' text part, feeds' summaries and search."""
    text = re.sub(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", "\n", html or "")
    text = entities.unescape(strip_tags(text))
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()

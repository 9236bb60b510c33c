"""``{{ text|richtext }}``: rich text people wrote, sanitized again on the way out (core.html)."""

from django import template
from django.utils.safestring import mark_safe

from doorstep.core.html import clean_html, plain_text

register = template.Library()


@register.filter
def richtext(value) -> str:
    return mark_safe(clean_html(str(value or "")))  # noqa: S308 - clean_html keeps only a safe subset


@register.filter
def plaintext(value) -> str:
    """The words of rich text, for e-mails' text part (autoescape off there)."""
    return plain_text(clean_html(str(value or "")))

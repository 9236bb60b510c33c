"""Template helpers of the work pages: ``get_item`` (a value from a dict by a key held in a
variable) and ``entry_line`` (an entry of an order as one short line)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.simple_tag
def entry_line(kind: str, entry, currency: str) -> str:
    """One delivery, payment, deduction, cost or helper as a short line."""
    if kind == "deliveries":
        text = _("%(date)s: %(quantity)s delivered") % {
            "date": entry.delivered_on.isoformat(),
            "quantity": floatformat(entry.quantity, "-3"),
        }
        if entry.rejected:
            text += ", " + _("%(rejected)s rejected (%(reason)s)") % {
                "rejected": floatformat(entry.rejected, "-3"),
                "reason": entry.rejection_reason or _("no reason given"),
            }
            if entry.rejected_paid:
                text += ", " + _("paid anyway")
    elif kind == "payments":
        text = _("%(date)s: %(amount)s %(currency)s, %(method)s") % {
            "date": entry.paid_on.isoformat(),
            "amount": floatformat(entry.amount, 2),
            "currency": currency,
            "method": entry.get_method_display(),
        }
        if entry.paid_by_id:
            text += ", " + _("paid by %(party)s") % {"party": entry.paid_by.name}
    elif kind == "deductions":
        text = _("%(date)s: %(amount)s %(currency)s held back (%(reason)s)") % {
            "date": entry.deducted_on.isoformat(),
            "amount": floatformat(entry.amount, 2),
            "currency": currency,
            "reason": entry.reason or _("no reason given"),
        }
    elif kind == "costs":
        text = f"{entry.get_kind_display()}: {floatformat(entry.amount, 2)} {currency}"
        if entry.note:
            text += f" ({entry.note})"
    else:
        text = _("%(count)d × %(who)s%(children)s: %(hours)s hours") % {
            "count": entry.count,
            "who": entry.get_relationship_display(),
            "children": (" (" + _("children") + ")") if entry.children else "",
            "hours": floatformat(entry.hours, "-2"),
        }
    return format_html("{}", text)

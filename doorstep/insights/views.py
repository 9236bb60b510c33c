"""The shared-figures page of a network, company or ally: tables made from the data its affiliates
and partners share with it, suppressed through ``core.disclosure``, with a CSV download."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.text import slugify

from doorstep.core import tenancy
from doorstep.core.downloads import attachment
from doorstep.core.errors import ValidationError

from . import queries, services
from .forms import FiguresForm


@login_required
def shared_figures(request, org_slug: str):
    recipient = queries.get_recipient(request.user, slug=org_slug)
    purposes = queries.purposes_for(recipient)
    form = FiguresForm(request.GET or None, purposes=purposes)
    result, error = None, None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            ask = queries.ask(
                recipient,
                dataset=data["dataset"],
                purpose=data["purpose"] or None,
                group_by=[code for code in (data["group_by"], data["then_by"]) if code],
                start=data["start"],
                end=data["end"],
            )
        except ValidationError as problem:
            error = problem
        else:
            channel = "csv" if request.GET.get("format") == "csv" else "page"
            result = services.release(ask, actor=request.user, channel=channel)
            if channel == "csv":
                out = io.StringIO()
                csv.writer(out).writerows(queries.csv_lines(result))
                name = f"{slugify(recipient.slug)}-{ask.dataset}-{'-'.join(ask.group_by)}.csv"
                return attachment(out.getvalue(), content_type="text/csv; charset=utf-8", filename=name)
    return render(
        request,
        "insights/shared.html",
        {
            "organization": recipient,
            "role": tenancy.role_in(request.user, recipient),
            "form": form,
            "error": error,
            "result": result,
            "table": _table(result) if result and result.rows else None,
            "labels": queries.FIGURE_LABELS,
            "csv_query": request.GET.urlencode() + "&format=csv" if result else "",
        },
        status=422 if (form.is_bound and not form.is_valid()) or error else 200,
    )


def _table(result: queries.Figures) -> dict:
    """Rows for the template: labels, then each figure (None where withheld), and the reason."""
    names = result.figure_names
    return {
        "dimensions": [queries.DIMENSIONS[code].label for code in result.ask.group_by],
        "figures": [queries.FIGURE_LABELS[name] for name in names],
        "rows": [
            {
                "labels": row.labels,
                "values": [row.figures.get(name) for name in names],
                "currency": row.figures.get("currency", ""),
                "suppressed": row.suppressed,
                "margin": any(part == queries.disclosure.TOTAL for part in row.key),
            }
            for row in result.rows
        ],
    }

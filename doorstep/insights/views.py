"""Pages of what leaves an organization: a recipient's shared figures (tables through the aggregates
door, with charts and CSV), the evidence brief (page and PDF), a network's open-data releases and the
public open-data pages, and a company's due-diligence dossier (page, PDF, CSV) with its commitments."""

import csv as csv_module
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.core import cells, disclosure, inputs, tenancy
from doorstep.core.charts import MEDIA_TYPES
from doorstep.core.downloads import attachment
from doorstep.core.errors import DomainError, FieldError, ValidationError
from doorstep.core.forms import add_domain_error
from doorstep.core.pdf import Document
from doorstep.organizations import queries as org_queries
from doorstep.organizations.models import Organization
from doorstep.organizations.queries import get_organization_with_role
from doorstep.supplychains import queries as chain_queries
from doorstep.supplychains import services as chain_services
from doorstep.supplychains.forms import CommitmentForm

from . import charts, queries, services
from . import dossier as dossiers
from .brief import build, get_organization
from .brief import methods as brief_methods
from .forms import FiguresForm, ReleaseForm
from .queries import FIGURE_LABELS


@login_required
def shared_figures(request, org_slug: str):
    recipient = org_queries.get_recipient(request.user, slug=org_slug)
    purposes = org_queries.purposes_for(recipient)
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
                period=data["period"],
                start=data["start"],
                end=data["end"],
            )
        except ValidationError as problem:
            error = problem
        else:
            drawing = request.GET.get("chart", "")
            if drawing and drawing not in MEDIA_TYPES:
                raise Http404
            channel = (
                "csv" if request.GET.get("format") == "csv" else f"chart-{drawing}" if drawing else "page"
            )
            result = services.release(ask, actor=request.user, channel=channel)
            name = f"{slugify(recipient.slug)}-{ask.dataset}-{'-'.join(ask.group_by)}"
            if channel == "csv":
                out = io.StringIO()
                cells.writer(out).writerows(queries.csv_lines(result))
                return attachment(
                    out.getvalue(), content_type="text/csv; charset=utf-8", filename=f"{name}.csv"
                )
            if drawing:
                chart = charts.for_table(result)
                if chart is None:
                    raise Http404
                return attachment(
                    chart.as_file(drawing), content_type=MEDIA_TYPES[drawing], filename=f"{name}.{drawing}"
                )
    chart = charts.for_table(result) if result and not result.reason else None
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
            "chart": chart,
            "chart_downloads": [
                (fmt.upper(), "?" + request.GET.urlencode() + f"&chart={fmt}") for fmt in MEDIA_TYPES
            ],
        },
        status=422 if (form.is_bound and not form.is_valid()) or error else 200,
    )


def _table(result: queries.Figures) -> dict:
    """Rows for the template: labels, then each figure (None where withheld) with its column's name
    (a phone shows each row as a card, label: value), and the reason."""
    names = result.figure_names
    figures = [queries.FIGURE_LABELS[name] for name in names]
    return {
        "dimensions": [queries.DIMENSIONS[code].label for code in result.ask.group_by],
        "figures": figures,
        "rows": [
            {
                "labels": row.labels,
                "values": [row.figures.get(name) for name in names],
                "cells": list(zip(figures, [row.figures.get(name) for name in names], strict=True)),
                "currency": row.figures.get("currency", ""),
                "suppressed": row.suppressed,
                "margin": any(part == queries.disclosure.TOTAL for part in row.key),
            }
            for row in result.rows
        ],
    }


@login_required
def brief_page(request, org_slug: str):
    """The evidence brief of an organization or a network for a period, ready to print; ``.pdf``
    gives the same as a PDF."""
    organization = get_organization(request.user, org_slug)
    made, problem, period = _brief(request, organization, channel="brief")
    return render(
        request,
        "insights/brief.html",
        {
            "organization": organization,
            "brief": made,
            "error": problem,
            "period": period,
            "methods": brief_methods(made) if made else [],
            "tables": [(heading, _table(table) if table.rows else None) for heading, table in made.tables]
            if made
            else [],
            "query": request.GET.urlencode(),
        },
        status=422 if problem else 200,
    )


@login_required
def brief_pdf(request, org_slug: str):
    organization = get_organization(request.user, org_slug)
    made, problem, _period = _brief(request, organization, channel="brief pdf")
    if problem or made is None:
        raise Http404
    title = _("Evidence brief: %(name)s") % {"name": organization.name}
    document = Document(title, footer=_period_text(made), language=translation.get_language() or "en")
    document.paragraph(_period_text(made), small=True)
    if made.reason:
        document.paragraph(made.reason)
    if made.key:
        document.heading(_("Key figures"))
        document.table([_("Figure"), _("Value")], [[what, value] for what, value in made.key])
    for chart in made.charts:
        document.image(chart.png())
    for heading, table in made.tables:
        if not table.rows:
            continue
        document.heading(heading)
        lines = list(queries.csv_lines(table))
        rows = lines[1 : 1 + len(table.rows)]
        document.table(
            lines[0], rows, emphasis={i for i, row in enumerate(table.rows) if "__total__" in row.key}
        )
    document.heading(_("Methods"))
    for line in brief_methods(made):
        document.paragraph(line, small=True)
    if made.benchmarks:
        document.table(
            [_("Country"), _("Area"), _("Minimum wage"), _("From"), _("Source")],
            [
                [
                    str(b.country.name),
                    b.region or _("whole country"),
                    f"{b.amount} {b.currency} / {b.get_period_display()}",
                    b.effective_from.isoformat(),
                    b.source,
                ]
                for b in made.benchmarks
            ],
        )
    return attachment(
        document.pdf(), content_type="application/pdf", filename=f"{slugify(organization.slug)}-brief.pdf"
    )


def _brief(request, organization, *, channel: str):
    """The brief for the period asked (``from``, ``to``), or the problem with the period."""
    period = {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")}
    problems: list[FieldError] = []
    start, end = inputs.period(period["from"] or None, period["to"] or None, problems)
    if problems:
        return None, ValidationError(message=_("Choose the period again."), errors=problems), period
    return build(organization, actor=request.user, start=start, end=end, channel=channel), None, period


def _period_text(made) -> str:
    if made.start or made.end:
        return _("Period: %(start)s to %(end)s") % {
            "start": made.start.isoformat() if made.start else "…",
            "end": made.end.isoformat() if made.end else "…",
        }
    return _("Period: all records")


# Open data ---------------------------------------------------------------------------------------


def open_data(request):
    """Public: every network's published releases."""
    return render(request, "insights/open_data.html", {"releases": queries.published_releases()[:200]})


def open_data_release(request, release_id: int):
    """Public: one release, its licence, its dictionary and its files."""
    found = queries.get_published(release_id)
    dictionary = list(csv_module.reader(io.StringIO(bytes(found.dictionary_csv).decode())))
    columns = dictionary[1 : 1 + len(services.DICTIONARY)]
    return render(request, "insights/release.html", {"release": found, "columns": columns})


RELEASE_FILES = {
    "data.csv": ("data_csv", "text/csv; charset=utf-8"),
    "data.parquet": ("data_parquet", "application/vnd.apache.parquet"),
    "dictionary.csv": ("dictionary_csv", "text/csv; charset=utf-8"),
}


def open_data_file(request, release_id: int, name: str):
    if name not in RELEASE_FILES:
        raise Http404
    found = queries.get_published(release_id)
    field, content_type = RELEASE_FILES[name]
    return attachment(
        bytes(getattr(found, field)),
        content_type=content_type,
        filename=f"{slugify(found.organization.slug)}-{found.pk}-{name}",
    )


@login_required
def network_releases(request, org_slug: str):
    """A network's admins and analysts publish releases and withdraw them."""
    network = get_organization_with_role(request.user, org_slug, queries.RELEASE_ROLES)
    if not network.is_network:
        raise Http404
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.publish_release(network, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Published: %(title)s.") % {"title": made.title})
            return redirect("open_data_release", release_id=made.pk)
    return render(
        request,
        "insights/releases.html",
        {"organization": network, "form": form, "releases": queries.releases_of(request.user, network)},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def release_withdraw(request, org_slug: str, release_id: int):
    network = get_organization_with_role(request.user, org_slug, queries.RELEASE_ROLES)
    services.withdraw_release(queries.get_release(request.user, release_id, network), actor=request.user)
    return redirect("network_releases", org_slug=network.slug)


# The company's due-diligence dossier ---------------------------------------------------------------


@login_required
def due_diligence(request, org_slug: str):
    """The company's view of its own chain: the dossier (page, PDF, CSV) and its commitments."""
    company = chain_queries.company_for(request.user, slug=org_slug)
    problems = []
    wanted = request.GET.get("format", "")
    channel = wanted if wanted in ("pdf", "csv") else "page"
    try:
        dossier = dossiers.build(
            company, actor=request.user, period=request.GET.get("period"), channel=channel
        )
    except ValidationError as problem:  # a period off the lattice: said, and all time shown
        problems = problem.errors
        dossier = dossiers.build(company, actor=request.user, channel=channel)
    name = f"dossier-{company.slug}-{dossier.made_on.isoformat()}"
    if wanted == "pdf":
        return attachment(
            dossiers.as_pdf(dossier, language=get_language() or "en"),
            content_type="application/pdf",
            filename=f"{name}.pdf",
        )
    if wanted == "csv":
        return attachment(
            dossiers.as_csv(dossier), content_type="text/csv; charset=utf-8", filename=f"{name}.csv"
        )
    form = CommitmentForm(request.POST or None, organizations=dossier.organizations)
    if request.method == "POST" and form.is_valid():
        organization = Organization.objects.get(pk=form.cleaned_data["organization"])
        try:
            chain_services.add_commitment(company, organization, form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Your commitment is recorded; %(name)s sees it.") % {"name": organization}
            )
            return redirect("due_diligence", org_slug=company.slug)
    tables = [(title, _table_rows(result)) for title, result in dossier.tables]
    return render(
        request,
        "insights/due_diligence.html",
        {
            "organization": company,
            "dossier": dossier,
            "tables": tables,
            "form": form,
            "problems": problems,
            "query": "&".join(f"{k}={v}" for k, v in request.GET.items() if k == "period" and v),
            "method": dossiers.insights.METHOD,
        },
        status=422 if form.errors or problems else 200,
    )


def _table_rows(result):
    names = result.figure_names
    return {
        "reason": result.reason,
        "header": [FIGURE_LABELS[n] for n in names],
        "rows": [
            {
                "label": row.labels[0],
                "values": [row.figures.get(n) for n in names],
                "currency": row.figures.get("currency", ""),
                "suppressed": row.suppressed,
                "margin": disclosure.TOTAL in row.key,
            }
            for row in result.rows
        ],
    }

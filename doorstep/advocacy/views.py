"""The legal tracker's pages: the world table and a page per country (public, no JavaScript), and
the form network people use to keep a fact up to date."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from doorstep.core.errors import DomainError, PermissionDenied
from doorstep.core.forms import add_domain_error

from . import queries, services
from .forms import FactForm, WorldFilterForm
from .models import Coverage, Fact

PUBLIC_CACHE = {"public": True, "max_age": 300}


@cache_control(**PUBLIC_CACHE)
def laws(request):
    form = WorldFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters["q"] = form.cleaned_data["q"]
        filters["ratified"] = {"yes": True, "no": False}.get(form.cleaned_data["ratified"])
    rows = queries.world(filters)
    return render(
        request,
        "advocacy/world.html",
        {
            "form": form,
            "rows": rows,
            "ratified_count": sum(1 for p in queries.world() if p.ratified),
            "coverage_labels": dict(Coverage.choices),
            "filtered": any(filters.values()),
        },
    )


@cache_control(**PUBLIC_CACHE)
def country(request, code: str):
    found = queries.profile(code)
    if code != found.country:
        return redirect("law_country", code=found.country)
    return render(
        request,
        "advocacy/country.html",
        {
            "profile": found,
            "facts": [(key, label, found.facts.get(key)) for key, label in Fact.choices],
            "coverage_labels": dict(Coverage.choices),
            "history": queries.history(found.country),
            "may_edit": services.may_edit(request.user),
        },
    )


@login_required
def edit_fact(request, code: str, fact: str):
    if not services.may_edit(request.user):
        raise PermissionDenied()
    found = queries.profile(code)
    if fact not in Fact.values:
        raise Http404
    current = found.facts.get(fact)
    initial = dict(current.value) if current else {}
    if current:
        initial.update(source=current.source, as_of=current.as_of)
    form = FactForm(request.POST or None, initial=initial, fact=fact)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_fact(found.country, fact, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The fact is saved; its earlier version is kept in the history."))
            return redirect("law_country", code=found.country)
    return render(
        request,
        "advocacy/edit_fact.html",
        {"profile": found, "fact": fact, "label": Fact(fact).label, "form": form},
        status=422 if form.errors else 200,
    )

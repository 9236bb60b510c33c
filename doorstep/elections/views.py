"""Election pages (360 px, no JavaScript): staff run an election from one page, enter each polling
station's tally, print the code slips; members read published results; anyone with a code votes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from doorstep.core.downloads import attachment
from doorstep.core.errors import DomainError, ValidationError
from doorstep.core.forms import add_domain_error
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import ALL_ROLES, STAFF_ROLES
from doorstep.organizations.queries import get_organization_with_role

from . import queries, services
from .forms import CodeForm, ContestForm, ElectionForm, NominationForm, StationForm, TallyForm
from .models import Method


def _staff_organization(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, STAFF_ROLES)


@login_required
def election_list(request, org_slug: str):
    organization = _staff_organization(request, org_slug)
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_election(
                organization, services.ElectionInput(**form.cleaned_data), actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The election is created. Add the positions up for election."))
            return redirect("election_detail", org_slug=organization.slug, election_id=made.pk)
    rows, next_cursor = page_of(
        queries.elections_of(request.user, organization),
        limit=30,
        cursor=request.GET.get("cursor"),
        newest_first=True,
    )
    return render(
        request,
        "elections/list.html",
        {
            "organization": organization,
            "form": form,
            "rows": rows,
            "next_query": next_page_query(request, next_cursor),
        },
        status=422 if form.errors else 200,
    )


@login_required
def election_detail(request, org_slug: str, election_id: int):
    """The election's one page: positions, roll, nominations, stations, codes, count and publishing.
    Each form posts its ``action``; a refusal shows its reason and changes nothing."""
    organization = _staff_organization(request, org_slug)
    election = queries.get_election(request.user, organization, election_id)
    action = request.POST.get("action") if request.method == "POST" else None
    contests = list(election.contests.all())
    forms_ = {
        "contest": ContestForm(request.POST if action == "contest" else None),
        "nominate": NominationForm(request.POST if action == "nominate" else None, contests=contests),
        "station": StationForm(request.POST if action == "station" else None),
    }
    if action:
        try:
            done = _act(request, organization, election, action, forms_)
        except DomainError as error:
            form = forms_.get(action)
            if form is not None and form.is_bound:
                add_domain_error(form, error)
            else:
                messages.error(request, error.message)
            done = None
        if isinstance(done, HttpResponse):
            return done
        if done:
            messages.success(request, done)
            return redirect(request.path)
    names = queries.candidate_names(election, actor=request.user)
    nominations = list(queries.nominations_of(election))
    for nomination in nominations:
        nomination.names = names.get(nomination.pk, ("", ""))
    return render(
        request,
        "elections/detail.html",
        {
            "organization": organization,
            "election": election,
            "contests": contests,
            "nominations": nominations,
            "stations": queries.stations_of(election),
            "counts": queries.roll_counts(election),
            **{f"{name}_form": form for name, form in forms_.items()},
        },
        status=422 if action else 200,
    )


def _act(request, organization, election, action: str, forms_: dict):
    user = request.user
    if action == "freeze":
        n = services.freeze_roll(election, actor=user)
        return _("The voter roll is frozen: %(n)s members.") % {"n": n}
    if action == "answer":
        nomination = queries.get_nomination(user, election, request.POST.get("nomination", ""))
        services.answer_nomination(nomination, accept=request.POST.get("accept") == "yes", actor=user)
        return _("Her answer is recorded.")
    if action == "codes":
        slips = services.issue_codes(election, actor=user)
        address = request.build_absolute_uri(reverse("vote", args=[organization.slug]))
        pdf = services.slips_pdf(election, slips, ballot_address=address)
        return attachment(pdf, content_type="application/pdf", filename=f"codes-{election.pk}.pdf")
    if action == "count":
        services.count_election(election, actor=user)
        return _("The election is counted.")
    if action == "publish":
        services.publish_results(election, actor=user)
        return _("The results are published to members.")
    form = forms_.get(action)
    if form is None or not form.is_valid():
        return None
    data = form.cleaned_data
    if action == "contest":
        services.add_contest(election, services.ContestInput(**data), actor=user)
        return _("The position is added.")
    if action == "nominate":
        ids = queries.member_ids_by_number(user, organization, [data["nominee"], data["nominated_by"]])
        contest = next(c for c in election.contests.all() if c.pk == data["contest"])
        nomination = services.NominationInput(ids.get(data["nominee"], 0), ids.get(data["nominated_by"], 0))
        services.nominate(contest, nomination, actor=user)
        return _("The nomination is recorded; record her answer when she gives it.")
    ids = queries.member_ids_by_number(user, organization, data["numbers"])
    missing = [str(n) for n in data["numbers"] if n not in ids]
    if missing:
        form.add_error(
            "numbers", _("No member with the number %(numbers)s.") % {"numbers": ", ".join(missing)}
        )
        return None
    services.add_station(election, services.StationInput(data["name"], list(ids.values())), actor=user)
    return _("The polling station is added.")


@login_required
def tally(request, org_slug: str, election_id: int, station_id: int):
    organization = _staff_organization(request, org_slug)
    election = queries.get_election(request.user, organization, election_id)
    station = queries.get_station(request.user, election, station_id)
    contests = [c for c in election.contests.all() if c.method == Method.PLURALITY]
    names = queries.candidate_names(election, actor=request.user)
    form = TallyForm(
        request.POST or None,
        request.FILES or None,
        contests=contests,
        candidates=queries.candidates_of(election),
        names=names,
    )
    if request.method == "POST" and form.is_valid():
        photo = form.cleaned_data["photo"]
        data = services.TallyInput(
            form.cleaned_data["ballots_cast"],
            form.cleaned_data["spoiled"],
            form.votes(),
            photo.name,
            photo.read(),
        )
        try:
            services.enter_tally(station, data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The tally is saved with its photo."))
            return redirect("election_detail", org_slug=organization.slug, election_id=election.pk)
    return render(
        request,
        "elections/tally.html",
        {"organization": organization, "election": election, "station": station, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def tally_photo(request, org_slug: str, election_id: int, station_id: int):
    organization = _staff_organization(request, org_slug)
    election = queries.get_election(request.user, organization, election_id)
    station = queries.get_station(request.user, election, station_id)
    found = queries.tally_of(station)
    return attachment(bytes(found.photo), content_type="image/jpeg", filename=f"tally-{station.pk}.jpg")


@login_required
def results(request, org_slug: str, election_id: int):
    """The published results, for every member with a login (staff see them once counted)."""
    organization = get_organization_with_role(request.user, org_slug, ALL_ROLES)
    election = queries.get_election(request.user, organization, election_id, published=True)
    names = queries.candidate_names(election, actor=request.user) if election.counted_at else {}
    contests = {c.pk: c for c in election.contests.all()}
    shown = []
    for result in election.results.get("contests", []):
        rounds = [
            [(names.get(int(n), ("?", ""))[0], v, int(n) in r["eliminated"]) for n, v in r["votes"].items()]
            + [(_("exhausted ballots"), r["exhausted"], False)] * bool(r["exhausted"])
            for r in result["rounds"]
        ]
        shown.append(
            {
                "contest": contests.get(result["contest_id"]),
                "winners": [names.get(n, ("?", ""))[0] for n in result["winners"]],
                "tie": result["tie"],
                "rounds": rounds,
            }
        )
    return render(
        request,
        "elections/results.html",
        {
            "organization": organization,
            "election": election,
            "shown": shown,
            "turnout": election.results.get("turnout", {}),
        },
    )


@login_required
def network_turnout(request, org_slug: str):
    """A network's page: its affiliates' published elections and their turnout, never a ballot."""
    network = get_organization_with_role(request.user, org_slug, queries.TURNOUT_ROLES)
    rows = queries.network_turnout(request.user, network)
    for row in rows:
        row["share"] = round(100 * row["voted"] / row["roll"]) if row["roll"] else None
    return render(request, "elections/turnout.html", {"organization": network, "rows": rows})


@never_cache
def vote(request, org_slug: str):
    """The public ballot page: a code first, then the ballot (the code rides along in the form)."""
    organization = queries.organization_by_slug(org_slug)
    form = CodeForm(request.POST or None)
    election, choices_error = None, None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            election = services.check_code(organization.pk, code)
            if request.POST.get("ballot") == "1":
                services.cast_ballot(
                    organization.pk, services.BallotInput(code, _choices(request.POST, election))
                )
                return render(request, "elections/voted.html", {"organization": organization})
        except DomainError as error:
            if error.errors and error.errors[0].field == "code":
                add_domain_error(form, error)
                election = None
            else:
                choices_error = error.errors[0].message if error.errors else error.message
    contests = []
    if election is not None:
        names = queries.candidate_names(election, actor=None)
        candidates = queries.candidates_of(election)
        for contest in election.contests.all():
            people = [(n, names.get(n, ("", ""))[0]) for n in candidates.get(contest.pk, [])]
            contests.append({"contest": contest, "people": people, "ranks": range(1, len(people) + 1)})
    return render(
        request,
        "elections/vote.html",
        {
            "organization": organization,
            "form": form,
            "election": election,
            "contests": contests,
            "choices_error": choices_error,
        },
        status=422 if form.errors or choices_error else 200,
    )


def _choices(post, election) -> dict[int, list[int]]:
    """The ballot's choices from the form: ticks for plurality, a rank per candidate for instant runoff
    (blank ranks skipped; two candidates given one rank are refused by the service)."""
    choices: dict[int, list[int]] = {}
    for contest in election.contests.all():
        if contest.method == Method.PLURALITY:
            choices[contest.pk] = [int(v) for v in post.getlist(f"contest_{contest.pk}") if v.isdigit()]
            continue
        ranked = []
        prefix = f"rank_{contest.pk}_"
        for key, value in post.items():
            if key.startswith(prefix) and value.isdigit() and key[len(prefix) :].isdigit():
                ranked.append((int(value), int(key[len(prefix) :])))
        ranks = [r for r, _n in ranked]
        if len(set(ranks)) != len(ranks):
            raise ValidationError.for_field(
                f"choices.{contest.pk}", _("Give each candidate a different rank.")
            )
        choices[contest.pk] = [n for _r, n in sorted(ranked)]
    return choices

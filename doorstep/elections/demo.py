"""Demo elections: the demo union's past election of its executive (a president by plurality, a
secretary by instant runoff), voted on paper at one polling station and with codes, counted and
published. Idempotent.

An election cannot be held in the past through the services (nominations close when voting opens,
ballots are refused outside the window), so the demo runs it now and then moves its window back a
month, as if it had happened then."""

import io
import random
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from doorstep.organizations.models import Organization, User

from . import services
from .models import Election, RollEntry


def _sheet() -> bytes:
    """A stand-in photo of a signed tally sheet."""
    image = Image.new("RGB", (320, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.text((12, 12), "Tally sheet - Community hall", fill="black")
    draw.line((12, 170, 150, 160), fill="blue", width=2)
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def load() -> list[str]:
    union = Organization.objects.get(slug="demo-union")
    if Election.objects.filter(organization=union).exists():
        return []
    admin = User.objects.get(username="orgadmin-a")
    rng = random.Random("doorstep-demo-election")
    now = timezone.now()
    election = services.create_election(
        union,
        services.ElectionInput(
            "Executive committee election",
            now + timedelta(hours=1),
            now + timedelta(hours=9),
            timezone.localdate() - timedelta(days=35),
        ),
        actor=admin,
    )
    president = services.add_contest(election, services.ContestInput("President", "plurality"), actor=admin)
    secretary = services.add_contest(
        election, services.ContestInput("Secretary", "instant_runoff"), actor=admin
    )
    services.freeze_roll(election, actor=admin)
    roll = list(
        RollEntry.objects.filter(election=election)
        .order_by("member__number")
        .values_list("member_id", flat=True)
    )
    if len(roll) < 12:
        return []
    candidates = {}
    for contest, people in ((president, roll[:2]), (secretary, roll[2:5])):
        candidates[contest.pk] = []
        for member_id in people:
            nomination = services.nominate(
                contest, services.NominationInput(member_id, roll[-1]), actor=admin
            )
            services.answer_nomination(nomination, accept=True, actor=admin)
            candidates[contest.pk].append(nomination.pk)
    paper_voters = roll[: len(roll) // 2]
    station = services.add_station(
        election, services.StationInput("Community hall", paper_voters), actor=admin
    )
    slips = services.issue_codes(election, actor=admin)
    Election.objects.filter(pk=election.pk).update(
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=7)
    )
    on_paper = {e.member.number for e in RollEntry.objects.filter(station=station).select_related("member")}
    cast = 0
    for slip in slips:
        if slip.member_number in on_paper or rng.random() < 0.3:
            continue  # she votes on paper, or not at all
        ranking = rng.sample(candidates[secretary.pk], k=rng.randint(1, 3))
        choices = {president.pk: [rng.choice(candidates[president.pk])], secretary.pk: ranking}
        services.cast_ballot(union.pk, services.BallotInput(slip.code, choices))
        cast += 1
    papers = int(len(paper_voters) * 0.7)
    first = int(papers * 0.55)
    votes = {
        president.pk: {candidates[president.pk][0]: first, candidates[president.pk][1]: papers - first - 1}
    }
    services.enter_tally(station, services.TallyInput(papers, 1, votes, "sheet.jpg", _sheet()), actor=admin)
    month_ago = now - timedelta(days=30)
    Election.objects.filter(pk=election.pk).update(
        opens_at=month_ago, closes_at=month_ago + timedelta(hours=8)
    )
    election.refresh_from_db()
    services.count_election(election, actor=admin)
    services.publish_results(election, actor=admin)
    return [
        f"demo-union: a past election, {cast} ballots by code and {papers} on paper, counted and published"
    ]

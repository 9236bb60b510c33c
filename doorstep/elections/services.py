"""Every write of an election, and its rules. Admin actions take the acting user (keyword-only
``actor``), check her role first, run in a transaction and write the audit event in it. Casting a
ballot is the exception: the voter is anonymous and nothing about the ballot is audited (the secrecy
rule, ``models``); only the roll says that she voted."""

import io
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

import pyrankvote
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from doorstep.core import audit, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.pdf import Document
from doorstep.core.roles import STAFF_ROLES
from doorstep.core.uploads import check_evidence
from doorstep.members.models import Member
from doorstep.members.services.pii import reveal_pii

from . import eligibility, queries
from .models import (
    Ballot,
    Contest,
    Election,
    Method,
    Nomination,
    PollingStation,
    RollEntry,
    StationTally,
    VotingCode,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a keypad
CODE_LENGTH = 10  # 50 bits: guessing one of a roll's codes takes billions of tries
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
MAX_PHOTO_PIXELS = 40_000_000


def _refuse(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError.for_field(field_name, message, code=code)


def _staff(actor, organization_id) -> None:
    tenancy.require_role(actor, organization_id, STAFF_ROLES)


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


# Elections and contests ------------------------------------------------------------------------


@dataclass(frozen=True)
class ElectionInput:
    title: str
    opens_at: datetime
    closes_at: datetime
    roll_date: date


def create_election(organization, data: ElectionInput, *, actor) -> Election:
    _staff(actor, organization.pk)
    errors = []
    if not data.title.strip():
        errors.append(FieldError("title", _("Give the election a title.")))
    if data.closes_at <= data.opens_at:
        errors.append(FieldError("closes_at", _("Voting must close after it opens.")))
    if data.roll_date > data.opens_at.date():
        errors.append(FieldError("roll_date", _("The voter roll must be frozen no later than voting opens.")))
    if errors:
        raise ValidationError(_("Some of the input is not valid."), errors=errors)
    with transaction.atomic():
        election = Election.objects.create(
            organization=organization,
            title=data.title.strip(),
            opens_at=data.opens_at,
            closes_at=data.closes_at,
            roll_date=data.roll_date,
        )
        audit.record("election.created", actor=actor, organization=organization, obj=election)
    return election


@dataclass(frozen=True)
class ContestInput:
    position_title: str
    method: str
    seats: int = 1


def add_contest(election: Election, data: ContestInput, *, actor) -> Contest:
    _staff(actor, election.organization_id)
    if not data.position_title.strip():
        raise _refuse("position_title", _("Name the position."), "invalid")
    if data.method not in Method.values:
        raise _refuse("method", _("Choose plurality or instant runoff."), "invalid")
    if data.seats < 1:
        raise _refuse("seats", _("A position has at least one seat."), "invalid")
    if data.method == Method.INSTANT_RUNOFF and data.seats != 1:
        raise _refuse("seats", _("Instant runoff fills one seat; use plurality for several."), "invalid")
    with transaction.atomic():
        election = _locked(election)
        if election.roll_frozen_at is not None:
            raise _refuse(
                "election", _("Positions cannot change once the voter roll is frozen."), "roll_frozen"
            )
        contest = Contest.objects.create(
            organization_id=election.organization_id,
            election=election,
            position_title=data.position_title.strip(),
            seats=data.seats,
            method=data.method,
        )
        audit.record(
            "election.contest_added", actor=actor, organization=election.organization_id, obj=contest
        )
    return contest


# The voter roll ---------------------------------------------------------------------------------


def freeze_roll(election: Election, *, actor) -> int:
    """Put on the roll every member eligible at the election's roll date (``eligibility``); once."""
    _staff(actor, election.organization_id)
    with transaction.atomic():
        election = _locked(election)
        if election.roll_frozen_at is not None:
            raise _refuse("election", _("The voter roll is already frozen."), "roll_frozen")
        if not election.contests.exists():
            raise _refuse("election", _("Add the positions up for election first."), "no_contests")
        members = Member.objects.filter(
            organization_id=election.organization_id, merged_into__isnull=True
        ).order_by("id")
        entries = [
            RollEntry(organization_id=election.organization_id, election=election, member=m)
            for m in members.iterator(chunk_size=2000)
            if eligibility.reason_not_eligible(m, election.roll_date) is None
        ]
        RollEntry.objects.bulk_create(entries, batch_size=2000)
        election.roll_frozen_at = timezone.now()
        election.save(update_fields=["roll_frozen_at"])
        audit.record(
            "election.roll_frozen",
            actor=actor,
            organization=election.organization_id,
            obj=election,
            metadata={"entries": len(entries)},
        )
    return len(entries)


def _entry_of(election: Election, member_id, field_name: str, message: str) -> RollEntry:
    entry = (
        RollEntry.objects.filter(election=election, member_id=member_id).select_related("member").first()
        if str(member_id).isdigit()
        else None
    )
    if entry is None:
        raise _refuse(field_name, message, "not_eligible")
    reason = eligibility.reason_not_eligible(entry.member, election.roll_date)
    if reason:
        raise _refuse(field_name, reason, "not_eligible")
    return entry


# Nominations ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NominationInput:
    nominee_id: int
    nominated_by_id: int


def nominate(contest: Contest, data: NominationInput, *, actor) -> Nomination:
    """A member on the roll nominates another member on the roll; she answers later."""
    _staff(actor, contest.organization_id)
    election = Election.objects.get(pk=contest.election_id)
    if election.roll_frozen_at is None:
        raise _refuse("contest", _("Freeze the voter roll before taking nominations."), "roll_not_frozen")
    if timezone.now() >= election.opens_at:
        raise _refuse("contest", _("Nominations closed when voting opened."), "nominations_closed")
    if data.nominee_id == data.nominated_by_id:
        raise _refuse("nominated_by_id", _("Another member must make the nomination."), "self_nomination")
    nominee = _entry_of(election, data.nominee_id, "nominee_id", _("The nominee is not on the voter roll."))
    proposer = _entry_of(
        election, data.nominated_by_id, "nominated_by_id", _("Whoever nominates must be on the voter roll.")
    )
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                organization_id=contest.organization_id,
                contest=contest,
                nominee=nominee.member,
                nominated_by=proposer.member,
            )
            audit.record(
                "election.nominated", actor=actor, organization=contest.organization_id, obj=nomination
            )
    except IntegrityError:
        raise _refuse("nominee_id", _("She is already nominated for this position."), "duplicate") from None
    return nomination


def answer_nomination(nomination: Nomination, *, accept: bool, actor) -> Nomination:
    """Record the nominee's own answer (given in person or by phone to the organizer)."""
    _staff(actor, nomination.organization_id)
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update().select_related("contest__election").get(pk=nomination.pk)
        )
        if timezone.now() >= nomination.contest.election.opens_at:
            raise _refuse("nomination", _("Nominations closed when voting opened."), "nominations_closed")
        before = nomination.status
        nomination.status = Nomination.Status.ACCEPTED if accept else Nomination.Status.DECLINED
        nomination.answered_on = timezone.localdate()
        nomination.save(update_fields=["status", "answered_on"])
        audit.record(
            "election.nomination_answered",
            actor=actor,
            organization=nomination.organization_id,
            obj=nomination,
            metadata={"from": before, "to": nomination.status},
        )
    return nomination


# Polling stations and paper tallies ----------------------------------------------------------------


@dataclass(frozen=True)
class StationInput:
    name: str
    member_ids: list[int] = field(default_factory=list)  # her roll entries move to this station


def add_station(election: Election, data: StationInput, *, actor) -> PollingStation:
    _staff(actor, election.organization_id)
    if not data.name.strip():
        raise _refuse("name", _("Name the polling station."), "invalid")
    with transaction.atomic():
        election = _locked(election)
        if election.roll_frozen_at is None:
            raise _refuse("election", _("Freeze the voter roll first."), "roll_not_frozen")
        station = PollingStation.objects.create(
            organization_id=election.organization_id, election=election, name=data.name.strip()
        )
        entries = RollEntry.objects.filter(election=election)
        if data.member_ids:
            entries = entries.filter(member_id__in=data.member_ids)
        else:
            entries = entries.filter(station__isnull=True)
        moved = entries.update(station=station)
        audit.record(
            "election.station_added",
            actor=actor,
            organization=election.organization_id,
            obj=station,
            metadata={"roll_entries": moved},
        )
    return station


@dataclass(frozen=True)
class TallyInput:
    ballots_cast: int
    spoiled: int
    votes: dict[int, dict[int, int]]  # contest id -> nomination id -> votes
    photo_name: str
    photo: bytes


def _clean_photo(name: str, data: bytes) -> bytes:
    """The picture re-encoded as JPEG: what the camera wrote beside it (place, time, device) is gone."""
    _name, content_type = check_evidence(name, data, field="photo")
    if content_type not in PHOTO_TYPES:
        raise _refuse(
            "photo", _("Send a photo of the signed tally sheet (JPEG, PNG, WebP or GIF)."), "file_type"
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise _refuse("photo", _("The photo has too many pixels."), "too_large")
            image = ImageOps.exif_transpose(image).convert("RGB")
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise _refuse("photo", _("The photo cannot be read as a picture."), "file_type") from None
    return out.getvalue()


def enter_tally(station: PollingStation, data: TallyInput, *, actor) -> StationTally:
    """The station's paper count. Refused when it is larger than the people who could have voted there
    (her station's roll, less those who voted with a code), or when a contest's votes exceed the papers."""
    _staff(actor, station.organization_id)
    photo = _clean_photo(data.photo_name, data.photo)
    with transaction.atomic():
        election = _locked(station.election)
        if election.counted_at is not None:
            raise _refuse("station", _("The election is counted; tallies cannot change."), "counted")
        if timezone.now() < election.opens_at:
            raise _refuse("station", _("Voting has not opened yet."), "not_open")
        on_roll = RollEntry.objects.filter(station=station).exclude(voted_via=RollEntry.Via.CODE).count()
        if data.ballots_cast > on_roll:
            raise _refuse(
                "ballots_cast",
                _("%(n)s ballot papers, but only %(roll)s people could vote at this station.")
                % {"n": data.ballots_cast, "roll": on_roll},
                "tally_over_roll",
            )
        if data.spoiled > data.ballots_cast:
            raise _refuse("spoiled", _("More spoiled papers than papers in the box."), "invalid")
        votes = _checked_votes(election, data)
        tally, created = StationTally.objects.update_or_create(
            station=station,
            defaults={
                "organization_id": station.organization_id,
                "ballots_cast": data.ballots_cast,
                "spoiled": data.spoiled,
                "votes": votes,
                "photo": photo,
                "entered_by": actor,
            },
        )
        audit.record(
            "election.tally_entered" if created else "election.tally_replaced",
            actor=actor,
            organization=station.organization_id,
            obj=tally,
            metadata={"ballots_cast": data.ballots_cast, "spoiled": data.spoiled},
        )
    return tally


def _checked_votes(election: Election, data: TallyInput) -> dict[str, dict[str, int]]:
    contests = {c.pk: c for c in election.contests.all()}
    accepted = _accepted(election)
    valid_papers = data.ballots_cast - data.spoiled
    votes: dict[str, dict[str, int]] = {}
    for contest_id, counts in data.votes.items():
        contest = contests.get(int(contest_id))
        where = f"votes.{contest_id}"
        if contest is None:
            raise _refuse(where, _("No such position in this election."), "invalid")
        if contest.method != Method.PLURALITY:
            raise _refuse(
                where, _("Ranked positions are voted with codes; paper counts only most votes."), "invalid"
            )
        total = 0
        votes[str(contest.pk)] = {}
        for nomination_id, n in counts.items():
            if int(nomination_id) not in accepted.get(contest.pk, ()):
                raise _refuse(f"{where}.{nomination_id}", _("Not a candidate for this position."), "invalid")
            if n < 0:
                raise _refuse(f"{where}.{nomination_id}", _("Votes cannot be negative."), "invalid")
            votes[str(contest.pk)][str(nomination_id)] = n
            total += n
        if total > valid_papers * contest.seats:
            raise _refuse(
                where,
                _("%(n)s votes for %(position)s, more than the valid papers allow.")
                % {"n": total, "position": contest.position_title},
                "tally_over_papers",
            )
    return votes


def _accepted(election: Election) -> dict[int, list[int]]:
    return queries.candidates_of(election)


# One-time codes -----------------------------------------------------------------------------------


def normalize_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def code_digest(organization_id: int, code: str) -> str:
    return vault.blind_index(organization_id, "election.code", normalize_code(code))


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class Slip:
    member_number: int
    name: str
    code: str  # shown as XXXXX-XXXXX


def issue_codes(election: Election, *, actor) -> list[Slip]:
    """A code for everyone on the roll, to print on slips (``slips_pdf``): the only place the codes
    ever are, the database keeps their keyed digests. Once per election; lost slips would need new
    codes (not done yet)."""
    _staff(actor, election.organization_id)
    with transaction.atomic():
        election = _locked(election)
        if election.roll_frozen_at is None:
            raise _refuse("election", _("Freeze the voter roll first."), "roll_not_frozen")
        if election.codes_issued_at is not None:
            raise _refuse("election", _("The codes were printed already."), "codes_issued")
        if timezone.now() >= election.closes_at:
            raise _refuse("election", _("Voting has closed."), "closed")
        entries = list(RollEntry.objects.filter(election=election).select_related("member__subject_key"))
        names = reveal_pii([e.member for e in entries], actor=actor, reason="election code slips")
        slips, codes = [], []
        for entry in entries:
            code = _new_code()
            codes.append(
                VotingCode(
                    organization_id=election.organization_id,
                    entry=entry,
                    digest=code_digest(election.organization_id, code),
                )
            )
            name = names[entry.member_id].get("full_name", "")
            slips.append(Slip(entry.member.number, name, f"{code[:5]}-{code[5:]}"))
        VotingCode.objects.bulk_create(codes, batch_size=2000)
        election.codes_issued_at = timezone.now()
        election.save(update_fields=["codes_issued_at"])
        audit.record(
            "election.codes_issued",
            actor=actor,
            organization=election.organization_id,
            obj=election,
            metadata={"codes": len(codes)},
        )
    return slips


def slips_pdf(election: Election, slips: list[Slip], *, ballot_address: str) -> bytes:
    """The printable slips: member number, name and code, one row each, to cut apart."""
    local = timezone.localtime
    document = Document(election.title, footer=_("Voting codes: keep each slip private"))
    document.paragraph(
        _("Vote at %(address)s from %(opens)s to %(closes)s. Each code works once.")
        % {
            "address": ballot_address,
            "opens": local(election.opens_at).strftime("%Y-%m-%d %H:%M"),
            "closes": local(election.closes_at).strftime("%Y-%m-%d %H:%M"),
        }
    )
    document.table(
        [_("Member number"), _("Name"), _("Code")], [[s.member_number, s.name, s.code] for s in slips]
    )
    return document.pdf()


# Casting a ballot ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotInput:
    code: str
    choices: dict[int, list[int]]  # contest id -> nomination ids, first choice first


def check_code(organization_id: int, code: str, *, now: datetime | None = None) -> Election:
    """The election a code opens, if it may vote now; the reason otherwise (it changes nothing)."""
    now = now or timezone.now()
    found = (
        VotingCode.objects.filter(
            organization_id=organization_id, digest=code_digest(organization_id, code or "")
        )
        .select_related("entry__election")
        .first()
    )
    if found is None:
        raise _refuse("code", _("This code is not known. Check it letter by letter."), "unknown_code")
    _check_open(found.entry.election, found, now)
    return found.entry.election


def _check_open(election: Election, code: VotingCode, now: datetime) -> None:
    if code.used:
        raise _refuse("code", _("This code has been used already: a code votes once."), "code_used")
    if now < election.opens_at:
        raise _refuse("code", _("Voting has not opened yet."), "not_open")
    if now >= election.closes_at:
        raise _refuse("code", _("Voting has closed: this ballot came too late."), "closed")


def cast_ballot(organization_id: int, data: BallotInput, *, actor=None) -> None:
    """Cast a ballot with a one-time code. The code is spent, her roll entry marked voted and the
    ballot stored in one transaction, with the code's row locked, so two requests with one code make
    one ballot. Nothing is audited and nothing is returned: the ballot cannot be traced to her."""
    del actor  # the voter is anonymous; whoever is logged in (if anyone) is not recorded
    digest = code_digest(organization_id, data.code or "")
    with transaction.atomic():
        code = (
            VotingCode.objects.select_for_update()
            .filter(organization_id=organization_id, digest=digest)
            .select_related("entry__election")
            .first()
        )
        if code is None:
            raise _refuse("code", _("This code is not known. Check it letter by letter."), "unknown_code")
        election = code.entry.election
        _check_open(election, code, timezone.now())
        choices = _checked_choices(election, data.choices)
        # Conditional updates: even without the row lock (SQLite), a code is spent once.
        if not VotingCode.objects.filter(pk=code.pk, used=False).update(used=True):
            raise _refuse("code", _("This code has been used already: a code votes once."), "code_used")
        RollEntry.objects.filter(pk=code.entry_id).update(voted=True, voted_via=RollEntry.Via.CODE)
        Ballot.objects.create(organization_id=organization_id, election=election, choices=choices)


def _checked_choices(election: Election, choices: dict) -> dict[str, list[int]]:
    accepted = _accepted(election)
    cleaned: dict[str, list[int]] = {}
    contests = {c.pk: c for c in election.contests.all()}
    for contest_id in choices:
        if int(contest_id) not in contests:
            raise _refuse(f"choices.{contest_id}", _("No such position in this election."), "invalid")
    for contest in contests.values():
        picked = [int(n) for n in choices.get(contest.pk, choices.get(str(contest.pk), []))]
        where = f"choices.{contest.pk}"
        if len(set(picked)) != len(picked):
            raise _refuse(where, _("Each candidate can be chosen or ranked once."), "invalid")
        if any(n not in accepted.get(contest.pk, ()) for n in picked):
            raise _refuse(where, _("Not a candidate for this position."), "invalid")
        if contest.method == Method.PLURALITY and len(picked) > contest.seats:
            raise _refuse(
                where,
                _("Choose at most %(n)s for %(position)s.")
                % {"n": contest.seats, "position": contest.position_title},
                "too_many_choices",
            )
        cleaned[str(contest.pk)] = picked
    return cleaned


# Counting and publishing --------------------------------------------------------------------------


def count_election(election: Election, *, actor) -> Election:
    """Count once voting has closed and every station's tally is in: plurality adds paper and code
    votes; instant runoff counts the ranked code ballots with ``pyrankvote``, round by round."""
    _staff(actor, election.organization_id)
    with transaction.atomic():
        election = _locked(election)
        if timezone.now() < election.closes_at:
            raise _refuse("election", _("Voting has not closed yet."), "not_closed")
        if election.counted_at is not None:
            raise _refuse("election", _("The election is counted already."), "counted")
        missing = [s.name for s in election.stations.filter(tally__isnull=True)]
        if missing:
            raise _refuse(
                "election",
                _("Enter the tally of every polling station first: %(names)s.")
                % {"names": ", ".join(missing)},
                "tallies_missing",
            )
        ballots = _shuffle_ballots(election)
        tallies = list(StationTally.objects.filter(station__election=election))
        accepted = _accepted(election)
        contests = []
        for contest in election.contests.all():
            candidates = accepted.get(contest.pk, [])
            ranked = [b.get(str(contest.pk), []) for b in ballots]
            if contest.method == Method.PLURALITY:
                result = plurality(
                    candidates, ranked, [t.votes.get(str(contest.pk), {}) for t in tallies], contest.seats
                )
            else:
                result = instant_runoff(candidates, ranked, seed=contest.pk)
            contests.append({"contest_id": contest.pk, **result})
        election.results = {
            "contests": contests,
            "turnout": {
                "roll": election.roll.count(),
                "by_code": len(ballots),
                "on_paper": sum(t.ballots_cast for t in tallies),
            },
        }
        election.counted_at = timezone.now()
        election.save(update_fields=["results", "counted_at"])
        audit.record(
            "election.counted",
            actor=actor,
            organization=election.organization_id,
            obj=election,
            metadata={"ballots": len(ballots)},
        )
    return election


def _shuffle_ballots(election: Election) -> list[dict]:
    """The ballots' choices, written again in a random order under new random ids, so that nothing
    left in the table (physical order, PostgreSQL's transaction ids) follows the order of voting."""
    rows = list(Ballot.objects.filter(election=election).values_list("choices", flat=True))
    random.SystemRandom().shuffle(rows)
    Ballot.objects.filter(election=election).delete()
    Ballot.objects.bulk_create(
        [Ballot(organization_id=election.organization_id, election=election, choices=c) for c in rows],
        batch_size=2000,
    )
    return rows


def plurality(candidates: list[int], ballots: list[list[int]], tallies: list[dict], seats: int) -> dict:
    """Votes per candidate (code ballots plus paper tallies); the ``seats`` most voted win. A tie at
    the last winning place elects no one in it and says so (``tie``): the rules decide (a new vote, a lot)."""
    votes = {n: 0 for n in candidates}
    for ballot in ballots:
        for n in ballot:
            votes[n] = votes.get(n, 0) + 1
    for tally in tallies:
        for n, count in tally.items():
            votes[int(n)] = votes.get(int(n), 0) + count
    order = sorted(votes, key=lambda n: (-votes[n], n))
    winners, tie = order[:seats], False
    if len(order) > seats and seats and votes[order[seats - 1]] == votes[order[seats]]:
        tied = votes[order[seats]]
        winners, tie = [n for n in order[:seats] if votes[n] > tied], True
    return {
        "method": Method.PLURALITY.value,
        "rounds": [{"votes": {str(n): votes[n] for n in order}, "eliminated": [], "exhausted": 0}],
        "winners": winners,
        "tie": tie,
    }


def instant_runoff(candidates: list[int], ballots: list[list[int]], *, seed: int) -> dict:
    """Instant-runoff counting by ``pyrankvote``: each round the last candidate is eliminated and her
    ballots go to their next choice still in the race, until one holds a majority of the ballots not
    exhausted. pyrankvote breaks a tie for last place by second choices, then at random: the random
    choice is seeded with the contest, so a recount gives the same answer."""
    if not candidates:
        return {"method": Method.INSTANT_RUNOFF.value, "rounds": [], "winners": [], "tie": False}
    first = {n: sum(1 for b in ballots if b and b[0] == n) for n in candidates}
    if len(candidates) == 1 or not any(first.values()):
        # pyrankvote needs two candidates and a vote: one candidate is elected by any vote for her,
        # and no votes at all elect no one.
        only = candidates[0] if len(candidates) == 1 and first[candidates[0]] else None
        round_ = {"votes": {str(n): v for n, v in first.items()}, "eliminated": [], "exhausted": 0}
        return {
            "method": Method.INSTANT_RUNOFF.value,
            "rounds": [round_],
            "winners": [only] if only else [],
            "tie": False,
        }
    people = {n: pyrankvote.Candidate(str(n)) for n in candidates}
    ranked = [pyrankvote.Ballot(ranked_candidates=[people[n] for n in b if n in people]) for b in ballots]
    state = random.getstate()
    random.seed(seed)
    try:
        result = pyrankvote.instant_runoff_voting(list(people.values()), ranked)
    finally:
        random.setstate(state)
    rounds, out = [], set()
    for round_ in result.rounds:
        now_out = {int(r.candidate.name) for r in round_.candidate_results if r.status == "Rejected"}
        rounds.append(
            {
                "votes": {
                    r.candidate.name: round(r.number_of_votes)
                    for r in round_.candidate_results
                    if int(r.candidate.name) not in out
                },
                "eliminated": sorted(now_out - out),
                "exhausted": round(round_.number_of_blank_votes),
            }
        )
        out |= now_out
    winners = [int(c.name) for c in result.get_winners()]
    last = rounds[-1]["votes"]
    # A tie in the last round was broken by pyrankvote (second choices, then a seeded lot): the
    # constitution's rule decides instead, as for plurality.
    tie = bool(winners) and sum(1 for v in last.values() if v == last.get(str(winners[0]))) > 1
    return {
        "method": Method.INSTANT_RUNOFF.value,
        "rounds": rounds,
        "winners": [] if tie else winners,
        "tie": tie,
    }


def publish_results(election: Election, *, actor) -> Election:
    """Show the counted results to the organization's members (and turnout to its networks)."""
    _staff(actor, election.organization_id)
    with transaction.atomic():
        election = _locked(election)
        if election.counted_at is None:
            raise _refuse("election", _("Count the election before publishing its results."), "not_counted")
        if election.published_at is None:
            election.published_at = timezone.now()
            election.save(update_fields=["published_at"])
            audit.record(
                "election.published", actor=actor, organization=election.organization_id, obj=election
            )
    return election


# Her rights (registered with core.rights): whether she was on a roll and voted (never how: no ballot
# is hers to find), and her nominations. ------------------------------------------------------------


def export_sections(member: Member) -> dict[str, list[dict]]:
    roll = [
        {
            "election": e.election.title,
            "closes_at": e.election.closes_at.isoformat(),
            "voted": e.voted,
            "via": e.voted_via,
        }
        for e in RollEntry.objects.filter(member=member).select_related("election").order_by("id")
    ]
    nominations = [
        {
            "election": n.contest.election.title,
            "position": n.contest.position_title,
            "as": "nominee" if n.nominee_id == member.pk else "nominator",
            "status": n.status,
            "answered_on": n.answered_on.isoformat() if n.answered_on else None,
        }
        for n in (Nomination.objects.filter(nominee=member) | Nomination.objects.filter(nominated_by=member))
        .select_related("contest__election")
        .order_by("id")
    ]
    return {"elections.roll": roll, "elections.nominations": nominations}


def erase_rows(member: Member) -> None:
    """Her roll entries (with their codes) and her own nominations go; a nomination she made stands
    without her name. Counted results keep their figures: they hold no one's name or ballot."""
    Nomination.objects.filter(nominated_by=member).update(nominated_by=None)
    Nomination.objects.filter(nominee=member).delete()
    RollEntry.objects.filter(member=member).delete()


def move_rows(source: Member, target: Member) -> None:
    """Two records of one woman merged: the survivor takes the other's places on rolls she was not on
    (if both were on one roll, the survivor's entry stays and voted if either did)."""
    for entry in RollEntry.objects.filter(member=source):
        kept = RollEntry.objects.filter(election_id=entry.election_id, member=target).first()
        if kept is None:
            RollEntry.objects.filter(pk=entry.pk).update(member=target)
        else:
            if entry.voted and not kept.voted:
                RollEntry.objects.filter(pk=kept.pk).update(voted=True, voted_via=entry.voted_via)
            entry.delete()
    Nomination.objects.filter(nominated_by=source).update(nominated_by=target)
    for nomination in Nomination.objects.filter(nominee=source):
        if Nomination.objects.filter(contest_id=nomination.contest_id, nominee=target).exists():
            nomination.delete()
        else:
            Nomination.objects.filter(pk=nomination.pk).update(nominee=target)

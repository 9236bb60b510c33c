"""An election of Union A with two positions (president by plurality, secretary by instant runoff),
four members on the roll, a lapsed one off it, accepted nominations, and printed codes."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from doorstep.elections import services
from doorstep.elections.models import Election, Nomination


@dataclass
class Setup:
    election: Election
    president: object
    secretary: object
    members: dict
    nominations: dict  # (position, name) -> Nomination


def move(election: Election, *, opens_in: timedelta, lasts: timedelta = timedelta(hours=2)) -> Election:
    """Set the election's voting window relative to now (tests cannot wait for a clock)."""
    opens = timezone.now() + opens_in
    Election.objects.filter(pk=election.pk).update(opens_at=opens, closes_at=opens + lasts)
    election.refresh_from_db()
    return election


def open_now(election):
    return move(election, opens_in=-timedelta(hours=1))


def close_now(election):
    return move(election, opens_in=-timedelta(hours=3))


@pytest.fixture
def members(world, register):
    joined = timezone.localdate() - timedelta(days=400)
    found = {
        name: register(full_name=name, joined_on=joined.isoformat())
        for name in ("Asha Kumari", "Bina Devi", "Chitra Rao", "Devi Lal")
    }
    found["Lapsed Lata"] = register(full_name="Lapsed Lata", joined_on=joined.isoformat(), status="lapsed")
    return found


@pytest.fixture
def setup(world, members) -> Setup:
    now = timezone.now()
    election = services.create_election(
        world.org_a,
        services.ElectionInput(
            title="Executive 2026",
            opens_at=now + timedelta(days=1),
            closes_at=now + timedelta(days=2),
            roll_date=timezone.localdate(),
        ),
        actor=world.admin_a,
    )
    president = services.add_contest(
        election, services.ContestInput("President", "plurality"), actor=world.admin_a
    )
    secretary = services.add_contest(
        election, services.ContestInput("Secretary", "instant_runoff"), actor=world.admin_a
    )
    services.freeze_roll(election, actor=world.admin_a)
    m = members
    nominations = {}
    for position, contest, names in (
        ("president", president, ("Asha Kumari", "Bina Devi")),
        ("secretary", secretary, ("Bina Devi", "Chitra Rao", "Devi Lal")),
    ):
        for name in names:
            proposer = m["Devi Lal"] if name != "Devi Lal" else m["Asha Kumari"]
            nomination = services.nominate(
                contest, services.NominationInput(m[name].pk, proposer.pk), actor=world.admin_a
            )
            nominations[(position, name)] = services.answer_nomination(
                nomination, accept=True, actor=world.admin_a
            )
    election.refresh_from_db()
    return Setup(election, president, secretary, members, nominations)


@pytest.fixture
def codes(world, setup) -> list[str]:
    return [s.code for s in services.issue_codes(setup.election, actor=world.admin_a)]


def nid(setup: Setup, position: str, name: str) -> int:
    return setup.nominations[(position, name)].pk


def accepted(setup: Setup) -> bool:
    return all(n.status == Nomination.Status.ACCEPTED for n in setup.nominations.values())

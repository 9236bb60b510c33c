"""The attack suite (``insights.attacks``): every table the door allows, every withheld cell's
feasible range by linear programming over every value published before noise, at least k wide; on
the demo world and on synthetic federations."""

import pytest

from doorstep.bench import synth
from doorstep.core import analytics
from doorstep.insights import attacks
from doorstep.organizations.models import Organization, SharingAgreement

pytestmark = pytest.mark.django_db


def test_the_demo_world_gives_no_withheld_cell_narrower_than_k(world, shared):
    SharingAgreement.objects.filter(recipient=world.network).update(
        data_kinds=["members", "work", "grievances"]
    )
    assert [str(f) for f in attacks.findings(world.network)] == []
    assert [str(f) for f in attacks.findings(world.company, datasets=("work",))] == []


@pytest.mark.parametrize("seed", [1, 2])
def test_a_synthetic_federation_gives_no_withheld_cell_narrower_than_k(seed):
    synth.run(
        synth.Plan(
            members=120, orders_per_member=2, organizations=3, workers=1, seed=seed, submissions_per_member=0
        )
    )
    analytics.refresh()
    network = Organization.objects.get(slug="synth-network")
    assert [str(f) for f in attacks.findings(network, datasets=("members", "work"))] == []


def test_the_oracle_finds_a_cell_the_old_door_gave_away(world, shared):
    """The oracle can fail: a state's total beside all its districts but one, published as the
    door did before places were protected together, pins the withheld district."""
    unknowns = [("IN", "delhi", ""), ("IN", "delhi", "north"), ("IN", "delhi", "east")]
    published = [
        (attacks._everything, 31, ("country",), ("__total__",)),
        (attacks._at(1, "delhi"), 31, ("admin1",), ("delhi",)),
        (attacks._at(2, ""), 15, ("admin2",), ("",)),
        (attacks._at(2, "north"), 12, ("admin2",), ("north",)),
        (attacks._at(2, "east"), None, ("admin2",), ("east",)),
    ]
    [finding] = attacks._narrow("members", ("country", "admin1", "admin2"), unknowns, published, 10)
    assert (finding.low, finding.high) == pytest.approx((4, 4))


def test_the_audit_command_says_what_the_recipient_could_learn(world, shared):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("disclosure", "audit", "--recipient", world.network.slug, "--dataset", "members", stdout=out)
    assert "Nothing: every withheld cell" in out.getvalue()

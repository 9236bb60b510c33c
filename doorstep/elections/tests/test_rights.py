"""Her rights: her export says she voted (never how); her erasure removes her roll entries and her
own nominations, and leaves the ballots, which were never hers."""

from doorstep.elections import services
from doorstep.elections.models import Ballot, Nomination, RollEntry
from doorstep.members.services import rights as member_rights

from .conftest import nid, open_now


def test_her_export_says_she_voted_and_not_how(world, setup, codes):
    open_now(setup.election)
    services.cast_ballot(
        world.org_a.pk,
        services.BallotInput(codes[0], {setup.president.pk: [nid(setup, "president", "Bina Devi")]}),
    )
    entry = RollEntry.objects.get(voted=True)
    sections = services.export_sections(entry.member)
    assert sections["elections.roll"] == [
        {
            "election": "Executive 2026",
            "closes_at": setup.election.closes_at.isoformat(),
            "voted": True,
            "via": "code",
        }
    ]
    assert set(sections) == {"elections.roll", "elections.nominations"}  # nothing of a ballot


def test_her_erasure_keeps_the_ballots_and_the_nominations_she_made(world, setup, codes):
    open_now(setup.election)
    services.cast_ballot(world.org_a.pk, services.BallotInput(codes[0], {}))
    devi = setup.members["Devi Lal"]  # nominated others, and is a candidate herself
    member_rights.erase_member(devi, actor=world.admin_a)
    assert not RollEntry.objects.filter(member_id=devi.pk).exists()
    assert not Nomination.objects.filter(nominee_id=devi.pk).exists()
    assert Nomination.objects.filter(nominated_by__isnull=True).count() == 4
    assert Ballot.objects.count() == 1

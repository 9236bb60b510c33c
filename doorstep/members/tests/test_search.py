"""Name search over sealed names: the in-process index stays true to the database."""

from doorstep.members import search
from doorstep.members.models import Member
from doorstep.members.services import registry, rights


def test_it_finds_by_word_prefix_case_and_accents(world, register):
    sunita = register("Sunita Devi")
    zoe = register("Zoë Müller")
    register("Meena Kumari")
    assert search.search(world.org_a.pk, "sunita") == [sunita.pk]
    assert search.search(world.org_a.pk, "SUN dev") == [sunita.pk]
    assert search.search(world.org_a.pk, "zoe muller") == [zoe.pk]


def test_it_finds_names_in_other_scripts(world, register):
    member = register("सुनीता देवी")
    assert search.search(world.org_a.pk, "सुनीता") == [member.pk]


def test_a_typo_still_finds_her_after_exact_matches(world, register):
    sunita = register("Sunita Devi")
    assert search.search(world.org_a.pk, "suneeta") == [sunita.pk]


def test_it_sees_changes_made_elsewhere_at_the_next_search(world, register):
    member = register("Sunita Devi")
    assert search.search(world.org_a.pk, "sunita") == [member.pk]
    registry.update_member(member, data={"full_name": "Geeta Devi"}, actor=world.admin_a)
    assert search.search(world.org_a.pk, "sunita") == []
    assert search.search(world.org_a.pk, "geeta") == [member.pk]
    rights.erase_member(Member.objects.get(pk=member.pk), actor=world.admin_a)
    assert search.search(world.org_a.pk, "geeta") == []


def test_it_keeps_organizations_apart(world, register):
    register("Sunita Devi", organization=world.org_b)
    assert search.search(world.org_a.pk, "sunita") == []

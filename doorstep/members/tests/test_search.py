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


def test_an_erasure_drops_her_and_keeps_everyone_else(world, register):
    sunita = register("Sunita Devi")
    meena = register("Meena Devi")
    assert sorted(search.search(world.org_a.pk, "devi")) == sorted([sunita.pk, meena.pk])
    rights.erase_member(Member.objects.get(pk=sunita.pk), actor=world.admin_a)
    assert search.search(world.org_a.pk, "devi") == [meena.pk]
    assert search.search(world.org_a.pk, "suneeta") == []  # nor by a typo: her words are gone


def test_new_words_are_found_by_prefix_and_by_typo_after_the_index_was_built(world, register):
    sunita = register("Sunita Devi")
    assert search.search(world.org_a.pk, "sun") == [sunita.pk]
    sunil = register("Sunil Wanjiku")  # words the index has not seen: its lookups are made again
    assert search.search(world.org_a.pk, "sun") == [sunil.pk, sunita.pk]  # by name
    assert search.search(world.org_a.pk, "wanjiku") == [sunil.pk]
    assert search.search(world.org_a.pk, "wanjku") == [sunil.pk]  # a rare name with a typo


def test_an_edit_moves_her_from_one_word_to_another(world, register):
    member = register("Sunita Devi")
    register("Sunita Kumari")
    assert len(search.search(world.org_a.pk, "sunita")) == 2
    registry.update_member(member, data={"full_name": "Zainab Devi"}, actor=world.admin_a)
    assert search.search(world.org_a.pk, "zainab") == [member.pk]
    assert member.pk not in search.search(world.org_a.pk, "sunita")
    assert search.search(world.org_a.pk, "zaynab") == [member.pk]  # the new word by a typo too


def test_normalize_reads_a_name_word_by_word_as_a_whole(world):
    assert search.normalize("  O'Brien-Smith\tZoë  MÜLLER ") == "o brien smith zoe muller"
    assert search.normalize("सुनीता  देवी") == "सुनीता देवी"
    assert search.normalize("-- ,") == ""


def test_it_does_not_warm_from_inside_a_transaction(world, register):
    register("Sunita Devi")
    search.forget()
    # A thread has a connection of its own: it could not see these uncommitted rows.
    assert search.warm(world.org_a.pk) is None
    assert search._index_for(world.org_a.pk).names == {}

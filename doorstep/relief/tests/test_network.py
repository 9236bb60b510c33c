"""The network's duplicate check: the same phone number on two organizations' lists is flagged on
both, only for members who consented to network sharing, and never shown to the other side."""

from datetime import date

import pytest

from doorstep.core import vault
from doorstep.members.models import MemberIdentifier
from doorstep.members.services.consent import record_consent
from doorstep.organizations import services as org_services
from doorstep.relief import services
from doorstep.relief.models import ListEntry, NetworkDigest

PHONE = "+254712345678"


@pytest.fixture
def two_lists(world, register, fund):
    """The same phone number in Union A and in Cooperative B; both lists shared with the network."""

    def make(consent_a=True, consent_b=True, share_a=True):
        sunita = register("Sunita Devi", group="Ward 5", phones=[PHONE])
        amina = register("Amina Otieno", organization=world.org_b, group="Ward 5", phones=[PHONE])
        for member, actor, given in ((sunita, world.admin_a, consent_a), (amina, world.admin_b, consent_b)):
            if given:
                record_consent(
                    member,
                    purpose="network_sharing",
                    given=True,
                    effective_on=date(2026, 1, 1),
                    method="paper",
                    actor=actor,
                )
        rules = [{"field": "group", "op": "in", "value": ["Ward 5"]}]
        list_a = services.draw_list(
            fund(),
            services.ListIn("A", rules, "10", world.network.pk if share_a else None),
            actor=world.admin_a,
        )
        list_b = services.draw_list(
            fund(organization=world.org_b),
            services.ListIn("B", rules, "10", world.network.pk),
            actor=world.admin_b,
        )
        return list_a, list_b, sunita, amina

    return make


def test_the_same_number_in_two_organizations_is_flagged_on_both(two_lists):
    list_a, list_b, _sunita, _amina = two_lists()
    assert ListEntry.objects.get(relief_list=list_b).in_network is True
    assert ListEntry.objects.get(relief_list=list_a).in_network is True


def test_the_other_organization_sees_only_its_own_member_and_a_flag(world, api, two_lists):
    _list_a, list_b, _sunita, amina = two_lists()
    response = api(world.admin_b).get(f"/api/v1/relief/lists/{list_b.pk}/entries")
    items = response.json()["items"]
    assert items == [
        {
            "id": items[0]["id"],
            "member_id": amina.pk,
            "member_number": amina.number,
            "same_number_here": False,
            "on_another_list": False,
            "in_network": True,
        }
    ]
    page = api(world.admin_b).get(f"/api/v1/relief/lists/{list_b.pk}").content
    assert b"Sunita" not in page and b"Union A" not in page and PHONE.encode() not in page


def test_the_other_organizations_list_answers_404(world, api, two_lists):
    list_a, _list_b, _sunita, _amina = two_lists()
    assert api(world.admin_b).get(f"/api/v1/relief/lists/{list_a.pk}/entries").status_code == 404


def test_without_her_consent_her_number_leaves_no_digest_and_flags_nothing(two_lists):
    list_a, list_b, _sunita, _amina = two_lists(consent_a=False)
    assert not NetworkDigest.objects.filter(entry__relief_list=list_a).exists()
    assert ListEntry.objects.get(relief_list=list_b).in_network is False


def test_a_list_not_shared_with_the_network_takes_no_part(two_lists):
    list_a, list_b, _sunita, _amina = two_lists(share_a=False)
    assert not NetworkDigest.objects.filter(entry__relief_list=list_a).exists()
    assert ListEntry.objects.get(relief_list=list_b).in_network is False


def test_the_network_digest_cannot_be_joined_with_an_organizations_index(two_lists):
    list_a, _list_b, _sunita, _amina = two_lists()
    network_digests = set(NetworkDigest.objects.values_list("digest", flat=True))
    own = set(MemberIdentifier.objects.values_list("digest", flat=True))
    assert network_digests and not network_digests & own
    assert vault.blind_index(list_a.organization_id, "relief", f"phone|{PHONE}") not in network_digests


def test_refuses_a_network_the_organization_is_not_in(world, api, register, fund):
    register(group="Ward 5")
    elsewhere = org_services.create_organization(
        name="Other Network", slug="other-net", kind="regional_network", actor=world.admin
    )
    response = api(world.admin_a).post(
        f"/api/v1/relief/funds/{fund().pk}/lists",
        {
            "name": "x",
            "rules": [{"field": "group", "op": "in", "value": ["Ward 5"]}],
            "amount": "1",
            "network_id": elsewhere.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "network_id"
    assert not NetworkDigest.objects.exists()

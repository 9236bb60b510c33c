"""Cell-key noise on figures outside the organization: each worker's random record key, the same
noise for the same workers every time (asking again averages nothing out), never under k."""

import pytest

from doorstep.core import disclosure
from doorstep.members.models import Member

pytestmark = pytest.mark.django_db


def _get(client, dataset="members", **params):
    return client.get(f"/api/v1/aggregates/{dataset}", params)


def _total(body):
    return next(row for row in body["rows"] if all(v == "__total__" for v in row["key"].values()))


def test_every_member_has_her_own_random_record_key(world, shared):
    keys = list(Member.objects.values_list("pk", "record_key"))
    assert len({key for _pk, key in keys}) == len(keys)
    assert all(0 <= key < disclosure.RECORD_KEY_SPACE and key != pk for pk, key in keys)


def test_counts_are_perturbed_within_the_documented_deviation_never_under_k(world, shared, api):
    body = _get(api(world.analyst), recipient_id=world.network.pk, group_by="category").json()
    workers = _total(body)["figures"]["workers"]
    assert abs(workers - 15) <= disclosure.MAX_DEVIATION and workers >= body["k"]
    keys = Member.objects.filter(pk__in=[m.pk for m in shared.embroiderers + shared.beadworkers])
    expected = disclosure.perturb(15, sum(keys.values_list("record_key", flat=True)), k=10)
    assert workers == expected


def test_asking_again_or_through_another_table_gives_the_same_noise(world, shared, api):
    client = api(world.analyst)
    answers = [
        _total(_get(client, recipient_id=world.network.pk, group_by="category").json())["figures"]["workers"]
        for _ in range(5)
    ]
    by_gender = _get(client, recipient_id=world.network.pk, group_by="category,gender").json()
    assert len(set(answers)) == 1
    assert _total(by_gender)["figures"]["workers"] == answers[0]

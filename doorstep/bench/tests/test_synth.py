"""`python -m doorstep synth`: exact sizes, figures that agree with the rules, the same data for the
same seed, sealed PII, clear refusals; and the bulk path under it (``core.bulk``)."""

import io
import uuid
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from doorstep.bench import synth
from doorstep.core import vault
from doorstep.core.bulk import insert_rows, reserve_ids
from doorstep.core.disclosure import new_record_key
from doorstep.members.models import ConsentEvent, Member
from doorstep.members.services.pii import PII_PURPOSE
from doorstep.members.services.registry import MEMBER_COLUMNS, MEMBER_DEFAULTS
from doorstep.organizations.models import Affiliation, Organization, SharingAgreement
from doorstep.supplychains.models import Party
from doorstep.surveys.models import Submission
from doorstep.work.derive import DERIVED_FIELDS
from doorstep.work.models import Delivery, Payment, WorkOrder
from doorstep.work.services import figures as work_services

pytestmark = pytest.mark.django_db

STORED = [*DERIVED_FIELDS, "benchmark_id", "benchmark_level"]


def _synth(**options):
    defaults = {"members": 60, "orders_per_member": 4, "seed": 7, "organizations": 2, "workers": 1}
    call_command("synth", **(defaults | options), stdout=io.StringIO())


def test_writes_exactly_what_was_asked_across_organizations_in_several_countries():
    _synth(submissions_per_member=0.5)
    organizations = Organization.objects.filter(slug__startswith="synth-7-")
    assert organizations.count() == 2
    assert {o.country.code for o in organizations} == {"IN", "PK"}
    assert Member.objects.filter(organization__in=organizations).count() == 60
    assert WorkOrder.objects.filter(organization__in=organizations).count() == 240
    assert Submission.objects.filter(organization__in=organizations).count() == 30
    network = Organization.objects.get(slug="synth-network")
    assert Affiliation.objects.filter(network=network).count() == 2
    assert SharingAgreement.objects.filter(recipient=network, purpose="network_statistics").count() == 2
    # Skewed: some workers have many more orders than the average, some none or one.
    per_member = Counter(WorkOrder.objects.values_list("member_id", flat=True))
    assert max(per_member.values()) >= 8
    assert Delivery.objects.count() > 150 and Payment.objects.count() > 100
    assert ConsentEvent.objects.filter(purpose="research", given=True).count() > 25
    statuses = Counter(WorkOrder.objects.values_list("status", flat=True))
    assert (
        statuses["paid"] > 100 and statuses["cancelled"] + statuses["partly_paid"] + statuses["delivered"] > 0
    )


def test_derived_figures_are_what_recompute_stores():
    _synth()
    before = {row[0]: row[1:] for row in WorkOrder.objects.values_list("pk", *STORED)}
    assert sum(1 for row in before.values() if row[DERIVED_FIELDS.index("mw_ratio")] is not None) > 100
    for organization in Organization.objects.filter(slug__startswith="synth-7-"):
        work_services.recompute(organization_id=organization.pk)
    after = {row[0]: row[1:] for row in WorkOrder.objects.values_list("pk", *STORED)}
    assert after == before


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    def content(prefix):
        return [
            (m, str(g), str(r), str(q), s, str(h))
            for m, g, r, q, s, h in WorkOrder.objects.filter(organization__slug__startswith=prefix)
            .order_by("member__organization__slug", "member__number", "given_on", "piece_rate", "pk")
            .values_list(
                "member__number", "given_on", "piece_rate", "quantity_ordered", "status", "net_hourly"
            )
        ]

    _synth(prefix="one")
    _synth(prefix="two")
    _synth(prefix="three", seed=8)
    assert content("one-7-") == content("two-7-")
    assert content("one-7-") != content("three-8-")


def test_personal_data_is_sealed_as_a_members_is():
    _synth(members=5, organizations=1, orders_per_member=1)
    member = Member.objects.select_related("subject_key").get(
        organization__slug__startswith="synth-7-", number=1
    )
    assert b"full_name" not in bytes(member.pii)
    name = vault.open_sealed(member.subject_key, bytes(member.pii), purpose=PII_PURPOSE)["full_name"]
    given = {g for country in synth.COUNTRIES for g in synth.given_names(country)}
    assert name.split()[0] in given


def test_organizations_are_of_skewed_sizes_a_few_large_and_a_long_tail():
    _synth(members=400, organizations=8, orders_per_member=0)
    sizes = sorted(
        (
            Member.objects.filter(organization=o).count()
            for o in Organization.objects.filter(slug__startswith="synth-7-")
        ),
        reverse=True,
    )
    assert sum(sizes) == 400 and len(sizes) == 8
    assert sizes[0] >= 4 * sizes[-1]  # the largest against the smallest
    assert sizes[0] > 2 * 400 / 8  # far above the average
    assert synth.sizes(3, 3) == [1, 1, 1]  # at least one each


def test_every_country_has_hundreds_of_given_names_some_common_and_most_rare():
    for country in synth.COUNTRIES:
        names = synth.given_names(country)
        assert len(set(names)) >= 300, country.code
        assert names[: len(country.given)] == country.given  # the shipped ones, most common
    _synth(members=600, organizations=1, orders_per_member=0)
    firsts = Counter(
        vault.open_sealed(m.subject_key, bytes(m.pii), purpose=PII_PURPOSE)["full_name"].split()[0]
        for m in Member.objects.select_related("subject_key").filter(
            organization__slug__startswith="synth-7-"
        )
    )
    assert len(firsts) >= 150  # hundreds in a country, not twenty
    assert firsts.most_common(1)[0][1] >= 30  # and some much more common than others


def test_work_givers_include_names_near_one_another():
    _synth(members=10, organizations=1, orders_per_member=1)
    names = list(
        Party.objects.filter(organization__slug__startswith="synth-7-").values_list("name", flat=True)
    )
    assert len(names) == len(set(names)) == 12
    near = [
        (a, b)
        for a in names
        for b in names
        if a != b and b.startswith(a.split()[0]) and a.split()[1][:5] == b.split()[1][:5]
    ]
    assert near, names


def test_bad_sizes_and_a_used_seed_are_refused_before_anything_is_written():
    with pytest.raises(CommandError, match="--members must be at least 1"):
        _synth(members=0)
    with pytest.raises(CommandError, match="cannot be negative"):
        _synth(orders_per_member=-1)
    _synth(members=4, organizations=1, orders_per_member=1)
    members = Member.objects.count()
    with pytest.raises(CommandError, match="synth-7-001-in exists already"):
        _synth(members=4, organizations=1, orders_per_member=1)
    assert Member.objects.count() == members


# core.bulk --------------------------------------------------------------------------------------


def test_bulk_rows_are_stored_as_the_orm_would_store_them(world):
    now, today = timezone.now(), timezone.localdate()
    keys = vault.new_subject_keys(world.org_a, 2)
    ids = reserve_ids(Member, 2)
    assert len(set(ids)) == 2
    columns = [
        "id",
        "organization",
        "number",
        "subject_key",
        "pii",
        "created_at",
        "updated_at",
        *MEMBER_COLUMNS,
    ]

    def row(pk, number, key, pii, **fields):
        values = {**MEMBER_DEFAULTS, "joined_on": today, "record_key": new_record_key(), **fields}
        return (pk, world.org_a.pk, number, key.id, pii, now, now, *(values[c] for c in MEMBER_COLUMNS))

    rows = [
        row(ids[0], 901, keys[0], b"\x00sealed", category="both", sectors=["embroidery", "beadwork"]),
        row(ids[1], 902, keys[1], b"", category="homeworker"),
    ]
    assert insert_rows(Member, columns, rows) == 2
    first = Member.objects.get(pk=ids[0])
    assert first.sectors == ["embroidery", "beadwork"] and bytes(first.pii) == b"\x00sealed"
    assert first.joined_on == today and first.created_at == now
    assert isinstance(first.subject_key_id, uuid.UUID)
    # The next id the database gives itself comes after the reserved ones.
    assert reserve_ids(Member, 1)[0] > ids[1]


def test_a_row_of_the_wrong_width_is_refused(world):
    with pytest.raises(ValueError, match="a row has 1 values for 2 columns"):
        insert_rows(Member, ["organization", "number"], [(world.org_a.pk,)])

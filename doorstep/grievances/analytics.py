"""Grievances' facts in the analytics engine (``core.analytics``): ``cases``.

``cases/organization_id=…/country=…/``: a row per member named on a case (a case naming nobody: one
row without a member), with its problem, status, the days it was opened and ended and the work givers
it is against; never its words. An organization's file is read again whole when its cases, or who
and whom they name, changed (cases are few beside orders).
"""

from collections import defaultdict

import pyarrow as pa
from django.db.models import Count, Max, Sum

from doorstep.core import analytics
from doorstep.core.analytics import FactKind, Run

from .models import Case

CASE_SCHEMA = pa.schema(
    [
        ("case_id", pa.int64()),
        ("member_id", pa.int64()),
        ("category", pa.string()),  # the problem
        ("status", pa.string()),
        ("opened_on", pa.date32()),
        ("finished_on", pa.date32()),
        ("party_ids", pa.list_(pa.int64())),  # the work givers it is against
    ]
)


def refresh_cases(run: Run) -> None:
    links: dict[int, str] = {}
    for through, column in ((Case.members.through, "member_id"), (Case.parties.through, "party_id")):
        for org, n, total in (
            through.objects.order_by()
            .values("case__organization_id")
            .annotate(n=Count("id"), total=Sum(column))
            .values_list("case__organization_id", "n", "total")
        ):
            links[org] = f"{links.get(org, '')}|{n}:{total}"
    stamps = (
        (org_id, None, f"{n}|{stamp.isoformat()}|{links.get(org_id, '')}")
        for org_id, n, stamp in Case.objects.order_by()
        .values("organization_id")
        .annotate(n=Count("id"), stamp=Max("updated_at"))
        .values_list("organization_id", "n", "stamp")
    )
    run.refresh_whole("cases", stamps, lambda org_id, _month: cases_table(org_id))


def cases_table(org_id: int) -> pa.Table:
    parties: dict[int, list[int]] = defaultdict(list)
    for case_id, party_id in Case.parties.through.objects.filter(case__organization_id=org_id).values_list(
        "case_id", "party_id"
    ):
        parties[case_id].append(party_id)
    named: dict[int, list[int]] = defaultdict(list)
    for case_id, member_id in Case.members.through.objects.filter(case__organization_id=org_id).values_list(
        "case_id", "member_id"
    ):
        named[case_id].append(member_id)
    data = defaultdict(list)
    for case_id, category, status, opened, finished in (
        Case.objects.filter(organization_id=org_id)
        .order_by("pk")
        .values_list("pk", "category", "status", "opened_on", "finished_on")
        .iterator(chunk_size=20_000)
    ):
        for member_id in sorted(named.get(case_id, [])) or [None]:
            data["case_id"].append(case_id)
            data["member_id"].append(member_id)
            data["category"].append(category)
            data["status"].append(status)
            data["opened_on"].append(opened)
            data["finished_on"].append(finished)
            data["party_ids"].append(sorted(parties.get(case_id, [])))
    return pa.Table.from_pydict({name: data.get(name, []) for name in CASE_SCHEMA.names}, schema=CASE_SCHEMA)


def register() -> None:
    analytics.register(FactKind("cases", CASE_SCHEMA, refresh_cases, member_column="member_id"))

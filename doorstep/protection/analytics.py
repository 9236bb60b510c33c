"""Social protection's facts in the analytics engine (``core.analytics``): ``coverage``.

``coverage/organization_id=…/country=…/``: a row per application: the member it is for, the
scheme's name and kind, its status, whether she is enrolled by it (accepted, paid or to renew) and
the day it started; never its reference number or notes. An organization's file is read again whole
when its applications changed (they are few beside orders). The aggregates door counts each member
once (``insights.cells.protection``).
"""

import pyarrow as pa
from django.db.models import Count, Max

from doorstep.core import analytics
from doorstep.core.analytics import FactKind, Run

from .models import ENROLLED, Application

COVERAGE_SCHEMA = pa.schema(
    [
        ("application_id", pa.int64()),
        ("member_id", pa.int64()),
        ("scheme", pa.string()),  # its name (a scheme is public, or the organization's own)
        ("scheme_kind", pa.string()),
        ("status", pa.string()),
        ("enrolled", pa.bool_()),
        ("started_on", pa.date32()),
    ]
)


def refresh_coverage(run: Run) -> None:
    stamps = (
        (org_id, None, f"{n}|{stamp.isoformat()}")
        for org_id, n, stamp in Application.objects.order_by()
        .values("organization_id")
        .annotate(n=Count("id"), stamp=Max("updated_at"))
        .values_list("organization_id", "n", "stamp")
    )
    run.refresh_whole("coverage", stamps, lambda org_id, _month: coverage_table(org_id))


def coverage_table(org_id: int) -> pa.Table:
    data: dict[str, list] = {name: [] for name in COVERAGE_SCHEMA.names}
    for pk, member_id, scheme, kind, status, started in (
        Application.objects.filter(organization_id=org_id)
        .order_by("pk")
        .values_list("pk", "member_id", "scheme__name", "scheme__kind", "status", "started_on")
        .iterator(chunk_size=20_000)
    ):
        data["application_id"].append(pk)
        data["member_id"].append(member_id)
        data["scheme"].append(scheme)
        data["scheme_kind"].append(kind)
        data["status"].append(status)
        data["enrolled"].append(status in ENROLLED)
        data["started_on"].append(started)
    return pa.Table.from_pydict(data, schema=COVERAGE_SCHEMA)


def register() -> None:
    analytics.register(FactKind("coverage", COVERAGE_SCHEMA, refresh_coverage, member_column="member_id"))

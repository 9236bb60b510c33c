"""Members' facts in the analytics engine (``core.analytics``): ``members``.

``members/organization_id=…/country=…/``: each member's category, gender, her country, first
sector, places folded as the aggregates door groups them, status, the day she joined, and her consent
to research, to sharing with a network and to being counted in a company's due-diligence statistics
as of the refresh day, and her random record key (the cell-key noise of ``core.disclosure``). No
name, number or anything else personal. An organization's file is read again whole when its members
or their consents changed, or the day did (a consent takes effect on a date).
"""

from collections import defaultdict

import pyarrow as pa
from django.db.models import Count, Max
from django.utils import timezone

from doorstep.core import analytics
from doorstep.core.analytics import FactKind, Run

from .models import ConsentEvent, Member
from .queries import consenting_members

MEMBER_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("category", pa.string()),
        ("gender", pa.string()),
        ("member_country", pa.string()),  # hers (the partition's country is her organization's)
        ("sector", pa.string()),  # the first she gave
        ("admin1", pa.string()),  # folded: see place()
        ("admin2", pa.string()),
        ("status", pa.string()),
        ("joined_on", pa.date32()),
        ("consent_research", pa.bool_()),
        ("consent_network_sharing", pa.bool_()),
        ("consent_company_statistics", pa.bool_()),
        ("record_key", pa.int64()),  # her random record key: the cell-key noise (core.disclosure)
    ]
)
CONSENTS = ("research", "network_sharing", "company_statistics")
# Part of every stamp: a file written with other columns is written again.
COLUMNS = "|".join(MEMBER_SCHEMA.names)


def place(name: str) -> str:
    """A place as the aggregates door groups it: trimmed, one space between words, any case."""
    return " ".join((name or "").split()).casefold()


def refresh_members(run: Run) -> None:
    today = timezone.localdate().isoformat()
    consents = {
        org: (n, stamp)
        for org, n, stamp in ConsentEvent.objects.order_by()
        .values("organization_id")
        .annotate(n=Count("id"), stamp=Max("recorded_at"))
        .values_list("organization_id", "n", "stamp")
    }

    def stamps():
        for org_id, count, stamp in (
            Member.objects.order_by()
            .values("organization_id")
            .annotate(n=Count("id"), stamp=Max("updated_at"))
            .values_list("organization_id", "n", "stamp")
        ):
            n, recorded = consents.get(org_id, (0, None))
            yield (
                org_id,
                None,
                f"{COLUMNS}|{today}|{count}|{stamp.isoformat()}|{n}|{recorded and recorded.isoformat()}",
            )

    run.refresh_whole("members", stamps(), lambda org_id, _month: members_table(org_id))


def members_table(org_id: int) -> pa.Table:
    today = timezone.localdate()
    agreed = {
        purpose: set(consenting_members([org_id], purpose, today).values_list("pk", flat=True))
        for purpose in CONSENTS
    }
    rows = (
        Member.objects.filter(organization_id=org_id, merged_into__isnull=True)
        .order_by("pk")
        .values_list(
            "pk",
            "category",
            "gender",
            "country",
            "sectors",
            "admin1",
            "admin2",
            "status",
            "joined_on",
            "record_key",
        )
    )
    data = defaultdict(list)
    for pk, category, gender, country, sectors, admin1, admin2, status, joined, record_key in rows.iterator(
        chunk_size=20_000
    ):
        data["id"].append(pk)
        data["category"].append(category)
        data["gender"].append(gender)
        data["member_country"].append(str(country or ""))
        data["sector"].append((sectors or [""])[0])
        data["admin1"].append(place(admin1))
        data["admin2"].append(place(admin2))
        data["status"].append(status)
        data["joined_on"].append(joined)
        data["record_key"].append(record_key)
        for purpose in CONSENTS:
            data[f"consent_{purpose}"].append(pk in agreed[purpose])
    return pa.Table.from_pydict(
        {name: data.get(name, []) for name in MEMBER_SCHEMA.names}, schema=MEMBER_SCHEMA
    )


def register() -> None:
    analytics.register(FactKind("members", MEMBER_SCHEMA, refresh_members, member_column="id"))

"""Work's facts in the analytics engine (``core.analytics``): ``orders`` and ``workers``.

- ``orders/…/month=…``: each work order's ids, sector, currency, status, derived figures, flags and
  ``updated_at`` (no personal data), by the month it was given. Refresh is incremental: one grouped
  query gives each partition's row count and newest ``updated_at``; the orders changed since the last
  refresh (less ``MARGIN``, so that a transaction that committed late is not missed) are read with
  the ``workorder_updated_idx`` index and merged into their partitions' files; a partition whose count
  or newest change still disagrees (a deletion, an order moved to another month) is read again whole.
  On PostgreSQL orders are read with ``COPY (SELECT …) TO STDOUT`` into Arrow's CSV reader (no Python
  object per value); elsewhere through the ORM.
- ``workers/…``: each worker's orders summed up once per refresh (her medians of net hourly earnings,
  of the ratio to the minimum wage and of payment delay, her sums, her main sector), computed again
  from an organization's order files when any of them changed, only for the members whose orders
  were merged in where that is all that changed. Tables over a whole federation read a row per
  worker instead of every order.
"""

import hashlib
import io
import os
from collections import defaultdict
from datetime import date, datetime, timedelta

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from pyarrow import csv

from doorstep.core import analytics
from doorstep.core.analytics import FactKind, Run, organization_of

from .models import WorkOrder

# Orders changed this long before the last refresh are read again: a transaction that began before
# it and committed after it carries an older ``updated_at``.
MARGIN = timedelta(minutes=10)

ORDER_COLUMNS = [
    ("id", pa.int64()),
    ("member_id", pa.int64()),
    ("party_id", pa.int64()),
    ("given_on", pa.date32()),
    ("sector", pa.string()),
    ("currency", pa.string()),
    ("status", pa.string()),
    ("delivered_qty", pa.float64()),
    ("rejected_qty", pa.float64()),
    ("expected_pay", pa.float64()),
    ("gross_paid", pa.float64()),
    ("shortfall", pa.float64()),
    ("net", pa.float64()),
    ("total_hours", pa.float64()),
    ("net_hourly", pa.float64()),
    ("mw_ratio", pa.float64()),
    ("payment_delay_days", pa.int32()),
    ("flag_below_minimum", pa.bool_()),
    ("flag_late", pa.bool_()),
    ("flag_unpaid", pa.bool_()),
    ("flag_rejected_without_reason", pa.bool_()),
    ("flag_cancelled_after_materials", pa.bool_()),
    ("updated_at", pa.timestamp("us", tz="UTC")),
]
ORDER_SCHEMA = pa.schema(ORDER_COLUMNS)
# Each worker's orders summed up once per refresh (all her orders, whatever their month): the unit of
# the aggregates door's work tables when no period, month or supply chain narrows them.
WORKER_SCHEMA = pa.schema(
    [
        ("member_id", pa.int64()),
        ("orders", pa.int64()),
        ("hourly", pa.float64()),  # the median of her orders' net hourly earnings
        ("ratio", pa.float64()),  # … of their ratio to the minimum wage
        ("delay", pa.float64()),  # … of their payment delays in days
        ("delivered", pa.float64()),
        ("rejected", pa.float64()),
        ("cancelled", pa.int64()),
        ("currency_low", pa.string()),
        ("currency_high", pa.string()),
        ("sector", pa.string()),  # the sector most of her orders are in (a tie: the first by name)
    ]
)
_SELECTED = ["organization_id", *[name for name, _type in ORDER_COLUMNS]]
_EXTRACTED = pa.schema([("organization_id", pa.int64()), *ORDER_COLUMNS])
# What the orders leave for the workers' summaries: for each organization whose orders changed, the
# members whose orders were merged in, or None where a partition was read again whole.
TOUCHED = "work.touched"


def refresh_orders(run: Run) -> None:
    old, new = run.old.parts("orders"), run.new.parts("orders")
    fingerprints = {}
    newest = None
    for org_id, month, count, stamp in _fingerprints():
        fingerprints[run.key(org_id, month)] = (count, stamp)
        newest = stamp if newest is None or stamp > newest else newest
    stale_by_org: dict[int, set[str]] = defaultdict(set)
    touched: dict[int, set[int] | None] = {}
    differing = []
    for key, (count, stamp) in fingerprints.items():
        part = old.get(key)
        if part is None or not run.healthy(part):
            if part is not None:
                run.report.rebuilt["orders"] += 1
            stale_by_org[organization_of(key)].add(key)
        elif part.rows == count and part.stamp == stamp.isoformat():
            new[key] = part
            run.report.kept["orders"] += 1
        else:
            differing.append(key)
    # Partitions that changed: merge the changed orders into their files where that accounts for
    # every difference; read the rest again whole.
    changed = None
    watermark = run.old.marks.get("orders", "")
    if differing and watermark:
        earliest = date.fromisoformat(min(key.split("/")[2] for key in differing) + "-01")
        since = datetime.fromisoformat(watermark) - MARGIN
        ids = sorted({organization_of(key) for key in differing})
        changed = _orders_table(
            "o.updated_at > %s AND o.organization_id = ANY(%s) AND o.given_on >= %s",
            [since, ids, earliest],
            {"updated_at__gt": since, "organization_id__in": ids, "given_on__gte": earliest},
        )
    run.report.notes["orders changed"] = changed.num_rows if changed is not None else 0
    changed_by_part = _split_by_partition(run, changed) if changed is not None else {}
    for key in differing:
        count, stamp = fingerprints[key]
        rows = changed_by_part.get(key)
        if rows is not None:
            merged, replaced = _merge(run, old[key], rows)
            if merged.num_rows == count and pc.max(merged.column("updated_at")).as_py() == stamp:
                if touched.get(organization_of(key), set()) is not None:
                    touched.setdefault(organization_of(key), set()).update(
                        replaced, rows.column("member_id").to_pylist()
                    )
                run.write("orders", key, merged, stamp.isoformat())
                continue
        stale_by_org[organization_of(key)].add(key)
    for org_id, keys in sorted(stale_by_org.items()):
        for key, table in _extract(run, org_id, keys).items():
            run.write("orders", key, table, fingerprints[key][1].isoformat())
    removed = set(old) - set(fingerprints)
    run.report.removed["orders"] += len(removed)
    for org_id in {organization_of(key) for key in removed} | set(stale_by_org):
        touched[org_id] = None
    run.new.marks["orders"] = newest.isoformat() if newest else watermark
    run.notes[TOUCHED] = touched


def _fingerprints():
    """(organization, "YYYY-MM", orders, newest updated_at) for every month of every organization."""
    rows = (
        WorkOrder.objects.filter(voided_at__isnull=True)  # a voided order counts nowhere
        .order_by()
        .annotate(month=TruncMonth("given_on"))
        .values("organization_id", "month")
        .annotate(n=Count("id"), stamp=Max("updated_at"))
        .values_list("organization_id", "month", "n", "stamp")
    )
    for org_id, month, count, stamp in rows.iterator():
        yield org_id, month.strftime("%Y-%m"), count, stamp


def _merge(run: Run, part, rows: pa.Table) -> tuple[pa.Table, list[int]]:
    """The partition's file with ``rows`` put in place of their older versions (or added), and the
    members the older versions were of."""
    old = run.read("orders", part)
    replaced = pc.is_in(old.column("id"), value_set=rows.column("id"))
    kept = old.filter(pc.invert(replaced))
    merged = pa.concat_tables([kept, rows.select(ORDER_SCHEMA.names).cast(ORDER_SCHEMA)]).sort_by("id")
    return merged, old.filter(replaced).column("member_id").to_pylist()


def _split_by_partition(run: Run, table: pa.Table) -> dict[str, pa.Table]:
    months = pc.strftime(table.column("given_on"), format="%Y-%m")
    keys = [
        run.key(org, month)
        for org, month in zip(table.column("organization_id").to_pylist(), months.to_pylist(), strict=True)
    ]
    table = table.append_column("_key", pa.array(keys, pa.string()))
    return {
        key: table.filter(pc.equal(table.column("_key"), key)).drop_columns(["_key"]) for key in set(keys)
    }


def _extract(run: Run, org_id: int, keys: set[str]) -> dict[str, pa.Table]:
    """The whole of some months of one organization, a table per partition."""
    months = sorted(key.split("/")[2] for key in keys)
    first = date.fromisoformat(months[0] + "-01")
    last = date.fromisoformat(months[-1] + "-01")
    end = (last.replace(day=28) + timedelta(days=4)).replace(day=1)
    table = _orders_table(
        "o.organization_id = %s AND o.given_on >= %s AND o.given_on < %s",
        [org_id, first, end],
        {"organization_id": org_id, "given_on__gte": first, "given_on__lt": end},
    )
    parts = _split_by_partition(run, table) if table.num_rows else {}
    return {key: parts.get(key, _EXTRACTED.empty_table()) for key in keys}


def _orders_table(where: str, params: list, filters: dict) -> pa.Table:
    """Orders as an Arrow table: on PostgreSQL through ``COPY … TO STDOUT`` read by Arrow's CSV
    reader (the fast path, no Python object per value); elsewhere through the ORM."""
    if connection.vendor == "postgresql":
        columns = ", ".join(f"o.{name}" for name in _SELECTED)
        where = f"o.voided_at IS NULL AND {where}"  # a voided order counts nowhere
        # Fixed column names; every value is a parameter.
        sql = f"COPY (SELECT {columns} FROM work_workorder o WHERE {where}) TO STDOUT WITH (FORMAT csv)"  # noqa: S608
        buffer = io.BytesIO()
        with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
            for chunk in copy:
                buffer.write(chunk)
        if not buffer.tell():
            return _EXTRACTED.empty_table()
        buffer.seek(0)
        return csv.read_csv(
            buffer,
            read_options=csv.ReadOptions(column_names=_EXTRACTED.names),
            convert_options=csv.ConvertOptions(
                column_types=_EXTRACTED, true_values=["t"], false_values=["f"], strings_can_be_null=False
            ),
        )
    rows = WorkOrder.objects.filter(voided_at__isnull=True, **filters).order_by().values_list(*_SELECTED)
    columns = list(zip(*rows.iterator(chunk_size=20_000), strict=True)) or [[] for _ in _SELECTED]
    arrays = []
    for values, column in zip(columns, _EXTRACTED, strict=True):
        if pa.types.is_floating(column.type):
            values = [None if v is None else float(v) for v in values]
        arrays.append(pa.array(values, type=column.type))
    return pa.Table.from_arrays(arrays, schema=_EXTRACTED)


def refresh_workers(run: Run) -> None:
    """Each organization's workers' summary, computed again from its order files when any of them
    changed (the stamp names the files it was computed from): only for the members whose orders
    were merged in, where that is all that changed; else for every member."""
    touched = run.notes.get(TOUCHED, {})
    files_by_org: dict[int, list[str]] = defaultdict(list)
    for key, part in run.new.parts("orders").items():
        if part.rows:
            files_by_org[organization_of(key)].append(part.file)
    for org_id, files in sorted(files_by_org.items()):
        key = run.key(org_id)
        stamp = hashlib.sha256("\n".join(sorted(files)).encode()).hexdigest()
        if run.keep("workers", key, stamp):
            continue
        part = run.old.parts("workers").get(key)
        members = touched.get(org_id)
        if part is not None and members is not None and run.healthy(part):
            earlier = run.read("workers", part)
            unchanged = earlier.filter(
                pc.invert(
                    pc.is_in(earlier.column("member_id"), value_set=pa.array(sorted(members), pa.int64()))
                )
            )
            fresh = workers_table(files, sorted(members)).cast(WORKER_SCHEMA)
            table = pa.concat_tables([unchanged, fresh]).sort_by("member_id")
        else:
            table = workers_table(files)
        run.write("workers", key, table, stamp)


def workers_table(files: list[str], members: list[int] | None = None) -> pa.Table:
    """One row per worker with orders in these order files (ours): her orders' medians and sums
    (only the ``members`` named, when they are)."""
    paths = [str(analytics.root() / f) for f in files]
    chosen = "WHERE member_id IN (SELECT unnest($members))" if members is not None else ""
    with duckdb.connect(config={"threads": max(1, os.cpu_count() or 1)}) as db:
        return db.sql(
            f"""
            WITH o AS (SELECT * FROM read_parquet({analytics.file_list(paths)}) {chosen}),
            votes AS (SELECT member_id, sector, count(*) AS n FROM o GROUP BY ALL),
            pick AS (SELECT member_id, {analytics.MOST_OF.format(value="sector")} AS sector
                     FROM votes GROUP BY member_id)
            SELECT o.member_id, count(*) AS orders, median(o.net_hourly) AS hourly,
                   median(o.mw_ratio) AS ratio, median(o.payment_delay_days) AS delay,
                   sum(o.delivered_qty) AS delivered, sum(o.rejected_qty) AS rejected,
                   count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled,
                   min(o.currency) AS currency_low, max(o.currency) AS currency_high,
                   any_value(pick.sector) AS sector
            FROM o JOIN pick USING (member_id) GROUP BY o.member_id ORDER BY o.member_id
            """,  # noqa: S608 - our own file names; the members are a parameter
            params={"members": members} if members is not None else None,
        ).to_arrow_table()


def register() -> None:
    analytics.register(
        FactKind("orders", ORDER_SCHEMA, refresh_orders, by_month=True, member_column="member_id")
    )
    analytics.register(
        FactKind("workers", WORKER_SCHEMA, refresh_workers, follows=("orders",), member_column="member_id")
    )

"""The analytics engine: facts without personal data, extracted from the database into Parquet files
under ``ANALYTICS_ROOT`` (``var/analytics/``) and queried in-process with DuckDB.

Layout (Hive-style, readable as it is by Trino, Spark or DuckDB; the partition values are in the
path, not in the files)::

    orders/organization_id=7/country=IN/month=2026-03/part-<token>.parquet
    members/organization_id=7/country=IN/part-<token>.parquet
    workers/organization_id=7/country=IN/part-<token>.parquet   (each worker's orders summed up)
    cases/organization_id=7/country=IN/part-<token>.parquet     (grievances, a row per member named)
    answers/organization_id=7/country=IN/month=2026-03/part-<token>.parquet   (survey answers counted)
    manifest.json

``manifest.json`` names the one current file of every partition, with its rows and the newest change
it holds; it is replaced atomically at the end of a refresh and is the only thing readers trust. A
refresh cut off halfway leaves the previous manifest, so dashboards keep showing the last complete
state, and the next refresh does the work again (its stray files are removed then).

Refresh (``refresh()``, run as a background job) is incremental:

- orders: one grouped query gives each partition's row count and newest ``updated_at``; the orders
  changed since the last refresh (less a margin, so that a transaction that committed late is not
  missed) are read and merged into their partitions' files; a partition whose count or newest change
  still disagrees (a deletion, an order moved to another month) is read again whole; a file that is
  missing or unreadable is rebuilt;
- members: an organization's file is read again whole when its members or their consents changed,
  or the day changed (a consent takes effect on a date);
- workers: an organization's summary of each worker's orders (medians, sums, her main sector) is
  computed again from its order files when any of them changed, so that tables over a whole
  federation read a row per worker instead of every order;
- cases: an organization's grievances are read again whole when its cases, or the members and work
  givers they name, changed;
- answers: the numbers and choices of the submissions received in a month are counted again
  (opened with their keys) when that month's current submissions changed. Only counts of values are
  kept: nothing ties two answers to one submission, or any to a person.

Readers (``Snapshot``) are always scoped: a query reads the files of the organizations it names and
no others, with parameters for every value (no SQL built from what a user typed).
"""

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

FORMAT = 4  # a new format: everything is extracted again
# Orders changed this long before the last refresh are read again: a transaction that began before
# it and committed after it carries an older ``updated_at``.
MARGIN = timedelta(minutes=10)
NO_COUNTRY = "none"

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
MEMBER_COLUMNS = [
    ("id", pa.int64()),
    ("category", pa.string()),
    ("gender", pa.string()),
    ("member_country", pa.string()),  # hers (the partition's country is her organization's)
    ("sector", pa.string()),  # the first she gave
    ("admin1", pa.string()),  # folded: trimmed, one space, lower case
    ("admin2", pa.string()),
    ("status", pa.string()),
    ("joined_on", pa.date32()),
    ("consent_research", pa.bool_()),
    ("consent_network_sharing", pa.bool_()),
    ("consent_company_case", pa.bool_()),
]
MEMBER_SCHEMA = pa.schema(MEMBER_COLUMNS)
CONSENTS = ("research", "network_sharing", "company_case")
# Each worker's orders summed up once per refresh (all her orders, whatever their month): the unit of
# the aggregates door's work tables when no period, month or supply chain narrows them.
WORKER_COLUMNS = [
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
WORKER_SCHEMA = pa.schema(WORKER_COLUMNS)
# Grievances: a row per member named on a case (a case naming nobody: one row without a member).
CASE_COLUMNS = [
    ("case_id", pa.int64()),
    ("member_id", pa.int64()),
    ("category", pa.string()),  # the problem
    ("status", pa.string()),
    ("opened_on", pa.date32()),
    ("finished_on", pa.date32()),
    ("party_ids", pa.list_(pa.int64())),  # the work givers it is against
]
CASE_SCHEMA = pa.schema(CASE_COLUMNS)
# Survey answers, for each form's summary inside its organization: how many times each answer was
# given to each question (counts of values, not the answers themselves: nothing ties two answers to
# one submission, or any to a person); a row with no question counts the submissions. Text is never
# kept, only how many answered.
ANSWER_COLUMNS = [
    ("form_id", pa.int64()),
    ("question", pa.string()),  # its path; "" for the submissions themselves
    ("choice", pa.string()),  # a choice question's answer (several: space-separated, as sent)
    ("number", pa.float64()),  # a number question's answer
    ("answers", pa.int64()),  # how many times it was given
]
ANSWER_SCHEMA = pa.schema(ANSWER_COLUMNS)
SCHEMAS = {
    "orders": ORDER_SCHEMA,
    "members": MEMBER_SCHEMA,
    "workers": WORKER_SCHEMA,
    "cases": CASE_SCHEMA,
    "answers": ANSWER_SCHEMA,
}
KINDS = tuple(SCHEMAS)  # every kind of file, in the order a refresh writes them


class Unavailable(Exception):
    """The figures cannot be read now (none extracted yet, or a file is damaged: a rebuild is due)."""

    def __init__(self, message: str, *, damaged: bool = False):
        super().__init__(message)
        self.message = message
        self.damaged = damaged


def root() -> Path:
    return Path(settings.ANALYTICS_ROOT)


# The manifest ------------------------------------------------------------------------------------


@dataclass
class Part:
    file: str  # relative to the root
    rows: int
    stamp: str = ""  # orders: the newest updated_at it holds (ISO); members: a fingerprint
    size: int = 0


@dataclass
class Manifest:
    refreshed_at: datetime | None = None
    as_of: str = ""  # the day the members' consents were read for
    watermark: str = ""  # the newest order change read (ISO)
    orders: dict[str, Part] = field(default_factory=dict)  # "org/country/month"
    members: dict[str, Part] = field(default_factory=dict)  # "org/country"
    workers: dict[str, Part] = field(default_factory=dict)  # "org/country"
    cases: dict[str, Part] = field(default_factory=dict)  # "org/country"
    answers: dict[str, Part] = field(default_factory=dict)  # "org/country/month" (received)
    seconds: float = 0.0
    changed_partitions: int = 0

    @classmethod
    def load(cls) -> "Manifest":
        path = root() / "manifest.json"
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            return cls()  # unreadable: everything is rebuilt
        if data.get("format") != FORMAT:
            return cls()
        return cls(
            refreshed_at=datetime.fromisoformat(data["refreshed_at"]) if data.get("refreshed_at") else None,
            as_of=data.get("as_of", ""),
            watermark=data.get("watermark", ""),
            **{kind: {k: Part(**v) for k, v in data.get(kind, {}).items()} for kind in KINDS},
            seconds=data.get("seconds", 0.0),
            changed_partitions=data.get("changed_partitions", 0),
        )

    def parts(self, kind: str) -> dict[str, Part]:
        return getattr(self, kind)

    def save(self) -> None:
        path = root() / "manifest.json"
        temporary = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        data = {
            "format": FORMAT,
            "refreshed_at": self.refreshed_at.isoformat() if self.refreshed_at else None,
            "as_of": self.as_of,
            "watermark": self.watermark,
            "seconds": round(self.seconds, 3),
            "changed_partitions": self.changed_partitions,
            **{kind: {k: p.__dict__ for k, p in sorted(self.parts(kind).items())} for kind in KINDS},
        }
        with open(temporary, "w") as out:
            json.dump(data, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)  # the commit point of a refresh


def last_refresh() -> datetime | None:
    """When the figures were last brought up to date (None: never)."""
    return Manifest.load().refreshed_at


# Refresh -----------------------------------------------------------------------------------------


@dataclass
class Report:
    seconds: float
    orders_rows: int
    partitions_written: int
    partitions_kept: int
    partitions_removed: int
    changed_orders: int
    rebuilt_damaged: int
    members_written: int
    workers_written: int = 0
    cases_written: int = 0
    answers_written: int = 0


@contextlib.contextmanager
def _lock():
    """One refresh at a time (another waits for it)."""
    root().mkdir(parents=True, exist_ok=True)
    with open(root() / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def refresh(*, full: bool = False, verify: bool = False, stop_after: int | None = None) -> Report:
    """Bring the Parquet files up to date with the database; ``full`` reads everything again,
    ``verify`` reads every file whole to find damage (else only their footers are checked).
    ``stop_after`` partitions: stop there without committing (to test an interrupted refresh)."""
    started = time.perf_counter()
    with _lock():
        old = Manifest() if full else Manifest.load()
        new = Manifest(as_of=timezone.localdate().isoformat())
        countries = _countries()
        report = Report(0, 0, 0, 0, 0, 0, 0, 0)
        budget = [stop_after]
        touched = _refresh_orders(old, new, countries, report, verify, budget)
        _refresh_members(old, new, countries, report, verify, budget)
        _refresh_workers(old, new, countries, report, verify, budget, touched)
        _refresh_cases(old, new, countries, report, verify, budget)
        _refresh_answers(old, new, countries, report, verify, budget)
        new.refreshed_at = timezone.now()
        new.seconds = time.perf_counter() - started
        new.changed_partitions = report.partitions_written + report.partitions_removed
        new.save()
        _remove_strays(new)
    report.seconds = time.perf_counter() - started
    return report


def _countries() -> dict[int, str]:
    from doorstep.organizations.models import Organization

    return {pk: (str(code) or NO_COUNTRY) for pk, code in Organization.objects.values_list("pk", "country")}


def _spend(budget: list) -> None:
    if budget[0] is not None:
        if budget[0] <= 0:
            raise InterruptedError("refresh stopped before committing (stop_after)")
        budget[0] -= 1


def _refresh_orders(
    old: Manifest, new: Manifest, countries, report: Report, verify: bool, budget
) -> dict[int, set[int] | None]:
    """Returns, for each organization whose orders changed, the members whose orders were merged
    in (their summaries are due again), or None where a partition was read again whole."""
    fingerprints = {}
    newest = None
    for org_id, month, count, stamp in _order_fingerprints():
        key = f"{org_id}/{countries.get(org_id, NO_COUNTRY)}/{month}"
        fingerprints[key] = (count, stamp)
        newest = stamp if newest is None or stamp > newest else newest
    stale_by_org: dict[int, set[str]] = defaultdict(set)
    touched: dict[int, set[int] | None] = {}
    differing = []
    for key, (count, stamp) in fingerprints.items():
        part = old.orders.get(key)
        if part is None or not _healthy(part, verify):
            report.rebuilt_damaged += part is not None
            stale_by_org[_org(key)].add(key)
        elif part.rows == count and part.stamp == stamp.isoformat():
            new.orders[key] = part
            report.partitions_kept += 1
        else:
            differing.append(key)
    # Partitions that changed: merge the changed orders into their files where that accounts for
    # every difference; read the rest again whole.
    changed = None
    if differing:
        earliest = date.fromisoformat(min(key.split("/")[2] for key in differing) + "-01")
        changed = _changed_orders(old, {_org(key) for key in differing}, earliest)
    report.changed_orders = changed.num_rows if changed is not None else 0
    changed_by_part = _split_by_partition(changed, countries) if changed is not None else {}
    for key in differing:
        count, stamp = fingerprints[key]
        rows = changed_by_part.get(key)
        if rows is not None:
            merged, replaced = _merge(old.orders[key], rows)
            if merged.num_rows == count and _newest(merged) == stamp:
                if touched.get(_org(key), set()) is not None:
                    touched.setdefault(_org(key), set()).update(
                        replaced, rows.column("member_id").to_pylist()
                    )
                _spend(budget)
                new.orders[key] = _write("orders", key, merged, stamp.isoformat())
                report.partitions_written += 1
                report.orders_rows += merged.num_rows
                continue
        stale_by_org[_org(key)].add(key)
    for org_id, keys in sorted(stale_by_org.items()):
        for key, table in _extract_orders(org_id, keys, countries).items():
            _spend(budget)
            new.orders[key] = _write("orders", key, table, fingerprints[key][1].isoformat())
            report.partitions_written += 1
            report.orders_rows += table.num_rows
    removed = set(old.orders) - set(fingerprints)
    report.partitions_removed += len(removed)
    for org_id in {_org(key) for key in removed} | set(stale_by_org):
        touched[org_id] = None
    new.watermark = newest.isoformat() if newest else old.watermark
    return touched


def _order_fingerprints():
    """(organization, "YYYY-MM", orders, newest updated_at) for every month of every organization."""
    from django.db.models.functions import TruncMonth

    from doorstep.work.models import WorkOrder

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


def _healthy(part: Part, verify: bool) -> bool:
    """The file is there, of the size written, and its footer (or, with ``verify``, all of it) reads."""
    path = root() / part.file
    try:
        if path.stat().st_size != part.size:
            return False
        if verify:
            return pq.read_table(path).num_rows == part.rows
        return pq.read_metadata(path).num_rows == part.rows
    except (OSError, pa.ArrowException):
        return False


def _newest(table: pa.Table) -> datetime | None:
    return pc.max(table.column("updated_at")).as_py()


def _merge(part: Part, rows: pa.Table) -> tuple[pa.Table, list[int]]:
    """The partition's file with ``rows`` put in place of their older versions (or added), and the
    members the older versions were of."""
    old = pq.read_table(root() / part.file, schema=ORDER_SCHEMA)
    replaced = pc.is_in(old.column("id"), value_set=rows.column("id"))
    kept = old.filter(pc.invert(replaced))
    merged = pa.concat_tables([kept, rows.select(ORDER_SCHEMA.names).cast(ORDER_SCHEMA)]).sort_by("id")
    return merged, old.filter(replaced).column("member_id").to_pylist()


def _split_by_partition(table: pa.Table, countries) -> dict[str, pa.Table]:
    months = pc.strftime(table.column("given_on"), format="%Y-%m")
    keys = [
        f"{org}/{countries.get(org, NO_COUNTRY)}/{month}"
        for org, month in zip(table.column("organization_id").to_pylist(), months.to_pylist(), strict=True)
    ]
    table = table.append_column("_key", pa.array(keys))
    parts = {}
    for key in set(keys):
        parts[key] = table.filter(pc.equal(table.column("_key"), key)).drop_columns(["_key"])
    return parts


def _write(kind: str, key: str, table: pa.Table, stamp: str) -> Part:
    """Write one partition's new file (the old one stays until the manifest no longer names it)."""
    if kind in ("orders", "answers"):
        org_id, country, month = key.split("/")
        folder = f"{kind}/organization_id={org_id}/country={country}/month={month}"
    else:
        org_id, country = key.split("/")
        folder = f"{kind}/organization_id={org_id}/country={country}"
    schema = SCHEMAS[kind]
    table = table.select(schema.names).cast(schema)
    directory = root() / folder
    directory.mkdir(parents=True, exist_ok=True)
    name = f"part-{secrets.token_hex(6)}.parquet"
    temporary = directory / (name + ".tmp")
    pq.write_table(table, temporary, compression="zstd")
    with open(temporary, "rb") as written:
        os.fsync(written.fileno())
    os.replace(temporary, directory / name)
    return Part(f"{folder}/{name}", table.num_rows, stamp, (directory / name).stat().st_size)


def _remove_strays(manifest: Manifest) -> None:
    """Files the manifest does not name: replaced ones, and those of a refresh that was cut off."""
    named = {p.file for kind in KINDS for p in manifest.parts(kind).values()}
    for kind in KINDS:
        base = root() / kind
        if not base.exists():
            continue
        for path in base.rglob("part-*"):
            if str(path.relative_to(root())) not in named:
                path.unlink(missing_ok=True)
        for directory in sorted(base.rglob("*"), reverse=True):
            if directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()


# Extraction --------------------------------------------------------------------------------------

_ORDER_SELECT = [
    "organization_id",
    *[name for name, _type in ORDER_COLUMNS],
]


def _org(key: str) -> int:
    return int(key.split("/", 1)[0])


def _changed_orders(old: Manifest, organization_ids: set[int], earliest: date) -> pa.Table | None:
    """The organizations' orders changed since the last refresh (less the margin), given on or after
    ``earliest`` (the first month that differs: the others are kept as they are)."""
    if not old.watermark:
        return None
    since = datetime.fromisoformat(old.watermark) - MARGIN
    ids = sorted(organization_ids)
    return _orders_table(
        "o.updated_at > %s AND o.organization_id = ANY(%s) AND o.given_on >= %s",
        [since, ids, earliest],
        {"updated_at__gt": since, "organization_id__in": ids, "given_on__gte": earliest},
    )


def _extract_orders(org_id: int, keys: set[str], countries) -> dict[str, pa.Table]:
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
    parts = _split_by_partition(table, countries) if table.num_rows else {}
    empty = pa.Table.from_pylist([], schema=pa.schema([("organization_id", pa.int64()), *ORDER_COLUMNS]))
    return {key: parts.get(key, empty) for key in keys}


def _orders_table(where: str, params: list, filters: dict) -> pa.Table:
    """Orders as an Arrow table: on PostgreSQL through ``COPY … TO STDOUT`` read by Arrow's CSV
    reader (the fast path, no Python object per value); elsewhere through the ORM."""
    schema = pa.schema([("organization_id", pa.int64()), *ORDER_COLUMNS])
    if connection.vendor == "postgresql":
        import io

        from pyarrow import csv

        columns = ", ".join(f"o.{name}" for name in _ORDER_SELECT)
        where = f"o.voided_at IS NULL AND {where}"  # a voided order counts nowhere
        # Fixed column names; every value is a parameter.
        sql = f"COPY (SELECT {columns} FROM work_workorder o WHERE {where}) TO STDOUT WITH (FORMAT csv)"  # noqa: S608
        buffer = io.BytesIO()
        with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
            for chunk in copy:
                buffer.write(chunk)
        if not buffer.tell():
            return schema.empty_table()
        buffer.seek(0)
        return csv.read_csv(
            buffer,
            read_options=csv.ReadOptions(column_names=schema.names),
            convert_options=csv.ConvertOptions(
                column_types=schema, true_values=["t"], false_values=["f"], strings_can_be_null=False
            ),
        )
    from doorstep.work.models import WorkOrder

    rows = WorkOrder.objects.filter(voided_at__isnull=True, **filters).order_by().values_list(*_ORDER_SELECT)
    columns = list(zip(*rows.iterator(chunk_size=20_000), strict=True)) or [[] for _ in _ORDER_SELECT]
    arrays = []
    for values, column in zip(columns, schema, strict=True):
        if pa.types.is_floating(column.type):
            values = [None if v is None else float(v) for v in values]
        arrays.append(pa.array(values, type=column.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _kept(kind: str, old: Manifest, new: Manifest, key: str, stamp: str, verify: bool) -> bool:
    """Keep the partition's file from the last refresh if it is of the same stamp and reads; True
    when kept."""
    part = old.parts(kind).get(key)
    if part is not None and part.stamp == stamp and _healthy(part, verify):
        new.parts(kind)[key] = part
        return True
    return False


def _refresh_members(old: Manifest, new: Manifest, countries, report: Report, verify: bool, budget) -> None:
    from doorstep.members.models import ConsentEvent, Member

    today = timezone.localdate().isoformat()
    counts = {
        org: (n, stamp)
        for org, n, stamp in Member.objects.order_by()
        .values("organization_id")
        .annotate(n=Count("id"), stamp=Max("updated_at"))
        .values_list("organization_id", "n", "stamp")
    }
    consents = {
        org: (n, stamp)
        for org, n, stamp in ConsentEvent.objects.order_by()
        .values("organization_id")
        .annotate(n=Count("id"), stamp=Max("recorded_at"))
        .values_list("organization_id", "n", "stamp")
    }
    for org_id, (count, stamp) in counts.items():
        key = f"{org_id}/{countries.get(org_id, NO_COUNTRY)}"
        consent = consents.get(org_id, (0, None))
        fingerprint = (
            f"{today}|{count}|{stamp.isoformat()}|{consent[0]}|{consent[1] and consent[1].isoformat()}"
        )
        if _kept("members", old, new, key, fingerprint, verify):
            continue
        _spend(budget)
        new.members[key] = _write("members", key, _members_table(org_id), fingerprint)
        report.members_written += 1


def _members_table(org_id: int) -> pa.Table:
    from doorstep.members.models import Member
    from doorstep.members.queries import consenting_members

    today = timezone.localdate()
    agreed = {
        purpose: set(consenting_members([org_id], purpose, today).values_list("pk", flat=True))
        for purpose in CONSENTS
    }
    rows = (
        Member.objects.filter(organization_id=org_id, merged_into__isnull=True)
        .order_by("pk")
        .values_list(
            "pk", "category", "gender", "country", "sectors", "admin1", "admin2", "status", "joined_on"
        )
    )
    data = defaultdict(list)
    for pk, category, gender, country, sectors, admin1, admin2, status, joined in rows.iterator(
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
        for purpose in CONSENTS:
            data[f"consent_{purpose}"].append(pk in agreed[purpose])
    return pa.Table.from_pydict(
        {name: data.get(name, []) for name in MEMBER_SCHEMA.names}, schema=MEMBER_SCHEMA
    )


def _refresh_workers(
    old: Manifest, new: Manifest, countries, report: Report, verify: bool, budget, touched: dict
) -> None:
    """Each organization's workers' summary, computed again from its order files when any of them
    changed (the stamp names the files it was computed from): only for the members whose orders
    were merged in, where that is all that changed; else for every member."""
    files_by_org: dict[int, list[str]] = defaultdict(list)
    for key, part in new.orders.items():
        if part.rows:
            files_by_org[_org(key)].append(part.file)
    for org_id, files in sorted(files_by_org.items()):
        key = f"{org_id}/{countries.get(org_id, NO_COUNTRY)}"
        stamp = hashlib.sha256("\n".join(sorted(files)).encode()).hexdigest()
        if _kept("workers", old, new, key, stamp, verify):
            continue
        _spend(budget)
        part = old.workers.get(key)
        members = touched.get(org_id)
        if part is not None and members is not None and _healthy(part, verify):
            earlier = pq.read_table(root() / part.file, schema=WORKER_SCHEMA)
            unchanged = earlier.filter(
                pc.invert(
                    pc.is_in(earlier.column("member_id"), value_set=pa.array(sorted(members), pa.int64()))
                )
            )
            fresh = _workers_table(files, sorted(members)).cast(WORKER_SCHEMA)
            table = pa.concat_tables([unchanged, fresh]).sort_by("member_id")
        else:
            table = _workers_table(files)
        new.workers[key] = _write("workers", key, table, stamp)
        report.workers_written += 1


def _workers_table(files: list[str], members: list[int] | None = None) -> pa.Table:
    """One row per worker with orders in these files (ours): her orders' medians and sums (only the
    ``members`` named, when they are)."""
    paths = [str(root() / f) for f in files]
    chosen = "WHERE member_id IN (SELECT unnest($members))" if members is not None else ""
    with duckdb.connect(config={"threads": max(1, os.cpu_count() or 1)}) as db:
        return db.sql(
            f"""
            WITH o AS (SELECT * FROM read_parquet({_list(paths)}) {chosen}),
            votes AS (SELECT member_id, sector, count(*) AS n FROM o GROUP BY ALL),
            pick AS (SELECT member_id, first(sector ORDER BY n DESC, sector) AS sector
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


def _refresh_cases(old: Manifest, new: Manifest, countries, report: Report, verify: bool, budget) -> None:
    """Each organization's grievances, read again whole when its cases or who and whom they name
    changed (cases are few beside orders)."""
    from django.db.models import Sum

    from doorstep.grievances.models import Case

    cases = {
        org: f"{n}|{stamp.isoformat()}"
        for org, n, stamp in Case.objects.order_by()
        .values("organization_id")
        .annotate(n=Count("id"), stamp=Max("updated_at"))
        .values_list("organization_id", "n", "stamp")
    }
    links = {}
    for through, column in ((Case.members.through, "member_id"), (Case.parties.through, "party_id")):
        for org, n, total in (
            through.objects.order_by()
            .values("case__organization_id")
            .annotate(n=Count("id"), total=Sum(column))
            .values_list("case__organization_id", "n", "total")
        ):
            links[org] = f"{links.get(org, '')}|{n}:{total}"
    for org_id, fingerprint in cases.items():
        key = f"{org_id}/{countries.get(org_id, NO_COUNTRY)}"
        stamp = f"{fingerprint}|{links.get(org_id, '')}"
        if _kept("cases", old, new, key, stamp, verify):
            continue
        _spend(budget)
        new.cases[key] = _write("cases", key, _cases_table(org_id), stamp)
        report.cases_written += 1


def _cases_table(org_id: int) -> pa.Table:
    from doorstep.grievances.models import Case

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


def _refresh_answers(old: Manifest, new: Manifest, countries, report: Report, verify: bool, budget) -> None:
    """Survey answers by organization and month received, a month read again whole when its current
    submissions changed (new ones, edits, deletions: their count or ids differ)."""
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    from doorstep.surveys.models import Submission

    for org_id, month, count, total in (
        Submission.objects.filter(current=True)
        .order_by()
        .annotate(month=TruncMonth("received_at"))
        .values("organization_id", "month")
        .annotate(n=Count("id"), total=Sum("id"))
        .values_list("organization_id", "month", "n", "total")
    ):
        key = f"{org_id}/{countries.get(org_id, NO_COUNTRY)}/{month.strftime('%Y-%m')}"
        stamp = f"{count}|{total}"
        if _kept("answers", old, new, key, stamp, verify):
            continue
        _spend(budget)
        new.answers[key] = _write("answers", key, _answers_table(org_id, month), stamp)
        report.answers_written += 1


def _answers_table(org_id: int, month: datetime) -> pa.Table:
    """The numbers and choices of an organization's submissions received in a month (opened with
    their keys here, kept without anything that ties them together or to a person)."""
    from doorstep.core import vault
    from doorstep.surveys import xforms
    from doorstep.surveys.models import FormVersion, Submission
    from doorstep.surveys.services import DATA_PURPOSE

    start = month
    end = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    questions: dict[int, list[tuple[str, str]]] = {}
    counts: Counter = Counter()
    submissions = (
        Submission.objects.filter(
            organization_id=org_id, current=True, received_at__gte=start, received_at__lt=end
        )
        .order_by()
        .values_list(
            "form_id",
            "version_id",
            "encrypted",
            "subject_key_id",
            "subject_key__organization_key_version",
            "subject_key__wrapped_key",
            "sealed_data",
        )
    )
    for form_id, version_id, encrypted, key_id, key_version, wrapped, sealed in submissions.iterator(
        chunk_size=2000
    ):
        counts[(form_id, "", None, None)] += 1
        if encrypted:
            continue  # opened only with the organization's private key, never here
        if version_id not in questions:
            structure = FormVersion.objects.get(pk=version_id).structure
            questions[version_id] = [(q["path"], q["type"]) for q in xforms.questions(structure)]
        record = vault.open_sealed_with(key_id, org_id, key_version, wrapped, sealed, purpose=DATA_PURPOSE)
        for path, kind in questions[version_id]:
            for answer in xforms.answers_at([record], path):
                if answer in ("", None):
                    continue
                if kind.startswith("select"):
                    counts[(form_id, path, str(answer), None)] += 1
                elif kind in NUMBER_TYPES:
                    counts[(form_id, path, None, _number(answer))] += 1
                else:
                    counts[(form_id, path, None, None)] += 1
    rows = sorted(
        counts.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or "", item[0][3] or 0)
    )
    columns = list(zip(*[(*key, n) for key, n in rows], strict=True)) or [[] for _ in ANSWER_COLUMNS]
    return pa.Table.from_arrays(
        [pa.array(values, type=kind) for values, (_name, kind) in zip(columns, ANSWER_COLUMNS, strict=True)],
        schema=ANSWER_SCHEMA,
    )


NUMBER_TYPES = {"integer", "decimal", "range"}


def _number(answer) -> float | None:
    try:
        number = float(str(answer))
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def place(name: str) -> str:
    """A place as cells group it: trimmed, one space between words, any case."""
    return " ".join((name or "").split()).casefold()


# Reading -----------------------------------------------------------------------------------------


class Snapshot:
    """The last complete refresh, read through DuckDB, limited to some organizations' files."""

    def __init__(self, organization_ids):
        self.wanted = {str(pk) for pk in organization_ids}
        self._load(Manifest.load())
        self.db = duckdb.connect(config={"threads": max(1, os.cpu_count() or 1)})

    def _load(self, manifest: Manifest) -> None:
        if manifest.refreshed_at is None:
            raise Unavailable(_not_ready())
        self.manifest = manifest
        self.order_files = self._files(manifest.orders)
        self.member_files = self._files(manifest.members)
        self.worker_files = self._files(manifest.workers)
        self.case_files = self._files(manifest.cases)
        self.answer_files = self._files(manifest.answers)
        self.refreshed_at = manifest.refreshed_at
        self._ready = False

    def _files(self, parts: dict[str, Part]) -> list[str]:
        """The files of the wanted organizations (only theirs: the scope of every query)."""
        return [str(root() / p.file) for k, p in parts.items() if k.split("/")[0] in self.wanted and p.rows]

    def close(self):
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def query(self, sql: str, params: dict | None = None) -> list[tuple]:
        """Run ``sql`` over the views ``orders``, ``members``, ``workers``, ``cases`` and ``answers``
        (only the named organizations' rows); values go in ``params`` (``$name``), never into the
        text."""
        for attempt in (1, 2):
            self._views()
            try:
                return self.db.execute(sql, params or {}).fetchall()
            except duckdb.Error as error:
                # A refresh that committed after this snapshot opened removes the files it replaced:
                # read the new state once, rather than call that damage.
                if attempt == 1 and self._refreshed_since():
                    continue
                self._blame_files(error)
                raise
        raise AssertionError("unreachable")

    def _refreshed_since(self) -> bool:
        latest = Manifest.load()
        if latest.refreshed_at is None or latest.refreshed_at == self.refreshed_at:
            return False
        self._load(latest)
        for name in KINDS:
            for kind in ("VIEW", "TABLE"):
                with contextlib.suppress(duckdb.Error):  # it is the one or the other
                    self.db.execute(f"DROP {kind} IF EXISTS {name}")
        return True

    def _views(self):
        if self._ready:
            return
        try:
            self._view("orders", self.order_files, ORDER_COLUMNS, ("organization_id", "country", "month"))
            self._view("members", self.member_files, MEMBER_COLUMNS, ("organization_id", "country"))
            self._view("workers", self.worker_files, WORKER_COLUMNS, ("organization_id", "country"))
            self._view("cases", self.case_files, CASE_COLUMNS, ("organization_id", "country"))
            self._view("answers", self.answer_files, ANSWER_COLUMNS, ("organization_id", "country", "month"))
        except duckdb.Error as error:
            if self._refreshed_since():
                return self._views()
            self._blame_files(error)
            raise
        self._ready = True

    def _blame_files(self, error: Exception) -> None:
        """After DuckDB failed: if one of our files does not read whole, say so (a rebuild is due);
        otherwise the error is ours and goes on up."""
        for path in (
            self.order_files + self.member_files + self.worker_files + self.case_files + self.answer_files
        ):
            try:
                pq.read_table(path)
            except (OSError, pa.ArrowException):
                raise Unavailable(_damaged(), damaged=True) from error

    def _view(self, name: str, files: list[str], columns, partitions: tuple[str, ...]) -> None:
        """``name`` over the files (the partition values from their paths); an empty table of the same
        columns when there are none. Names and paths are ours, never from input."""
        types = {"organization_id": "BIGINT", "country": "VARCHAR", "month": "VARCHAR"}
        if not files:
            definition = ", ".join(
                [f"{p} {types[p]}" for p in partitions] + [f"{n} {_duck(t)}" for n, t in columns]
            )
            self.db.execute(f"CREATE TEMP TABLE {name} ({definition})")
            return
        hive = ", ".join(f"'{p}': {types[p]}" for p in partitions)
        self.db.execute(
            f"CREATE TEMP VIEW {name} AS SELECT * FROM read_parquet({_list(files)}, "  # noqa: S608 - our names
            f"hive_partitioning = true, hive_types = {{{hive}}})"
        )


def _list(files: list[str]) -> str:
    """A DuckDB list literal of file paths we made ourselves (never from input)."""
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def _duck(kind: pa.DataType) -> str:
    return {
        pa.int64(): "BIGINT",
        pa.int32(): "INTEGER",
        pa.float64(): "DOUBLE",
        pa.string(): "VARCHAR",
        pa.bool_(): "BOOLEAN",
        pa.date32(): "DATE",
        pa.list_(pa.int64()): "BIGINT[]",
    }.get(kind, "TIMESTAMPTZ")


def _not_ready() -> str:
    from django.utils.translation import gettext as _

    return _("The figures are being prepared for the first time. Come back in a minute.")


def _damaged() -> str:
    from django.utils.translation import gettext as _

    return _("A file of figures was found damaged and is being rebuilt. Come back in a minute.")

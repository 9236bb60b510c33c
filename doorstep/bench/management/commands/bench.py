"""`python -m doorstep bench`: Doorstep's benchmark suite (run by `make bench`).

Each workload runs on data it makes itself, several times, and is reported with its median time,
the median time of the plain alternative measured in the same run on the same data (where there
is one), their ratio, the target and pass/fail. Results are also written to
`var/bench/results.json`. Run it on a database of its own (`make bench` uses a fresh SQLite file
under var/bench/, or BENCH_DATABASE_URL).

Scales: `smoke` (CI: every workload runs, in a few minutes), `small` (the default: fast enough to run
often) and `1M` (the targets' own sizes: 1,000,000 members with 10,000,000 work orders).
"""

import base64
import csv
import io
import json
import math
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from openpyxl import Workbook
from rapidfuzz import fuzz, process

from doorstep.bench import baselines, synth
from doorstep.core import analytics, imports, vault
from doorstep.core.imports import start
from doorstep.core.models import Import
from doorstep.insights import queries
from doorstep.members import search
from doorstep.members.demo import INDIA, KENYA
from doorstep.members.models import Member
from doorstep.members.services.pii import PII_PURPOSE
from doorstep.organizations import services as orgs
from doorstep.organizations.models import Organization, User
from doorstep.supplychains import matching
from doorstep.supplychains.matching import Known
from doorstep.surveys import services as survey_services
from doorstep.surveys.models import Form, Submission
from doorstep.work import boards, derive, stats
from doorstep.work.models import WorkOrder
from doorstep.work.services import figures as work_services

SCALES = {
    # A few minutes in CI: that every workload runs, not how fast (timings at this size mean little).
    "smoke": {
        "members": 2_000,
        "orders": 10_000,
        "submissions": 2_000,
        "runs": 2,
        "suppliers": (100, 1_000),
        "federation": 4_000,
        "changed": 500,
        "api_members": 5_000,
        "openrosa_seconds": 10,
    },
    "small": {
        "members": 10_000,
        "orders": 100_000,
        "submissions": 100_000,
        "runs": 3,
        "suppliers": (1_000, 10_000),
        "federation": 20_000,
        "changed": 1_000,
        "api_members": 50_000,
        "openrosa_seconds": 60,
    },
    # The targets' own sizes: a million members with ten million work orders.
    "1M": {
        "members": 100_000,
        "orders": 1_000_000,
        "submissions": 1_000_000,
        "runs": 3,
        "suppliers": (10_000, 100_000),
        "federation": 1_000_000,
        "changed": 10_000,
        "api_members": 1_000_000,
        "openrosa_seconds": 60,
    },
}
ORDERS_PER_MEMBER = 10
DASHBOARD_RUNS = 7
GIVEN = INDIA["given"] + KENYA["given"]
FAMILY = INDIA["family"] + KENYA["family"]


# Runs a doorstep command and writes the process's own peak memory (VmHWM, in kB) to argv[1]. Read in
# the child, because the rusage of a child started by fork counts the parent's memory at that moment.
PEAK_WRAPPER = """
import atexit, sys
out = sys.argv[1]
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(out, "w").write(line.split()[1])
atexit.register(peak)
sys.argv = ["doorstep", *sys.argv[2:]]
from doorstep.__main__ import main
main()
"""


@dataclass
class Result:
    workload: str
    size: int
    median_s: float
    runs: list[float]
    baseline_median_s: float | None
    ratio: float | None
    target: str
    passed: bool
    note: str = ""
    p95_s: float | None = None


def _timed(work: Callable, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return times, result


def _p95(times: list[float]) -> float:
    """The 95th percentile (nearest rank) of the runs."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _median(times: list[float]) -> float:
    return statistics.median(times)


def _members_csv(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Full name",
            "Phone",
            "Category",
            "Sector",
            "Village",
            "District",
            "State",
            "Year of birth",
            "Household size",
            "Date joined",
        ]
    )
    for i in range(rows):
        writer.writerow(
            [
                f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                f"+91{rng.choice('6789')}{seed % 10}{i:08d}",
                rng.choice(["homeworker", "self_employed", "both"]),
                rng.choice(["embroidery", "garments", "beadwork"]),
                f"Village {rng.randrange(400)}",
                f"District {rng.randrange(40)}",
                "Uttar Pradesh",
                rng.randint(1960, 2005),
                rng.randint(1, 9),
                f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            ]
        )
    return out.getvalue().encode()


def _supplier_lists(rows: int, known: int):
    """Known parties with made-up names in 20 countries, and a list half of whose names are known
    parties written another way ("Ltd" for "Limited", lower case) and half new."""
    rng = random.Random(2026)
    first = (
        "star sun moon lotus golden silver royal united global asian pacific delta prime metro crown".split()
    )
    trade = "garments apparel textiles knitting fashion exports clothing embroidery leather footwear".split()
    forms = ["Ltd", "Pvt Ltd", "Co., Ltd.", "Limited", "SA", "GmbH", "", "", "Inc"]
    syllables = "ba ka la ma na pa ra sa ta va za ho ri ku me di lo nu si te".split()

    def proper() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).title()

    countries = [f"C{i}" for i in range(20)]
    parties = [
        Known(
            i,
            f"{proper()} {rng.choice(first).title()} {rng.choice(trade).title()} {rng.choice(forms)}".strip(),
            rng.choice(countries),
            f"{rng.randint(1, 999)} {proper()} Road",
        )
        for i in range(known)
    ]
    listed = []
    for i in range(rows):
        if i % 2:
            party = rng.choice(parties)
            listed.append((party.name.replace("Ltd", "Limited").lower(), party.country, party.address, ()))
        else:
            name = f"{proper()} {rng.choice(first).title()} {rng.choice(trade).title()}"
            listed.append((name, rng.choice(countries), "", ()))
    return parties, listed


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--only", default="", help="Comma-separated workload names.")
        parser.add_argument(
            "--federation",
            type=int,
            default=0,
            help="Members of the synthetic federation (else the scale's).",
        )
        parser.add_argument("--changed", type=int, default=0, help="Orders changed before a refresh.")
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "var" / "bench" / "results.json")
        )

    def handle(self, *args, scale: str, only: str, output: str, federation: int, changed: int, **options):
        size = dict(SCALES[scale])
        size["federation"] = federation or size["federation"]
        size["changed"] = changed or size["changed"]
        size["one_baseline_run"] = scale == "1M" or size["federation"] >= 200_000
        self.stdout.write(
            f"Doorstep benchmarks, scale {scale}, database {connection.vendor}, "
            f"{platform.machine()} with {__import__('os').cpu_count()} cores\n"
        )
        admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
            "bench-admin", password=None
        )
        workloads: dict[str, Callable[[], Result]] = {
            "member_import": lambda: self.member_import(admin, orgs, size),
            "member_name_search": lambda: self.member_name_search(admin, orgs, size),
            "work_recompute": lambda: self.work_recompute(admin, orgs, size),
            "survey_export": lambda: self.survey_export(admin, orgs, size),
            "survey_export_xlsx": lambda: self.survey_export(admin, orgs, size, fmt="xlsx"),
            "supplier_match": lambda: self.supplier_match(size),
            "org_dashboard": lambda: self.org_dashboard(size),
            "network_dashboard": lambda: self.network_dashboard(size),
            "incremental_refresh": lambda: self.incremental_refresh(size),
            "api_members_first_page": lambda: self.api_members_first_page(size),
            "openrosa_ingestion": lambda: self.openrosa_ingestion(admin, orgs, size),
        }
        wanted = [w for w in only.split(",") if w] or list(workloads)
        results = []
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            # The engine's files of the benchmark database, apart from any other; and no refresh
            # asked for by a dashboard while it is being timed.
            ANALYTICS_ROOT=Path(output).parent / "analytics",
            ANALYTICS_MAX_AGE=10**9,
        ):
            self.made: list[Result] = []  # data made on the way, timed (synth)
            for name in wanted:
                self.stdout.write(f"running {name}…")
                results.append(workloads[name]())
            results[:0] = self.made
        self._report(results, scale, Path(output))
        if not all(r.passed for r in results):
            self.stderr.write("Some targets were missed.")

    # Workloads ------------------------------------------------------------------------------------

    def supplier_match(self, size) -> Result:
        """Match a supplier list of N names against M known parties in 20 countries (target: 10,000
        against 100,000 in under 60 s); baseline: rapidfuzz's extractOne with token_sort_ratio over the
        same country's parties for each name, the plain way to do it."""
        rows_wanted, known_wanted = size["suppliers"]
        known, rows = _supplier_lists(rows_wanted, known_wanted)
        times = []
        for _run in range(size["runs"]):
            matching.tokens.cache_clear()
            matching.words_of.cache_clear()
            started = time.perf_counter()
            found = matching.match_all(rows, known)
            times.append(time.perf_counter() - started)
        linked = sum(1 for m in found if m.outcome == "link")
        by_country: dict[str, list[str]] = {}
        for k in known:
            by_country.setdefault(k.country, []).append(k.name)
        started = time.perf_counter()
        for name, country, _address, _ids in rows:
            process.extractOne(name, by_country[country], scorer=fuzz.token_sort_ratio)
        baseline = time.perf_counter() - started
        median = _median(times)
        # Below the target's size, the time allowed shrinks with the list (not with the parties, which
        # makes it stricter than the target itself).
        allowed = 60 * rows_wanted / 10_000
        return Result(
            "supplier_match",
            rows_wanted,
            median,
            times,
            baseline,
            round(baseline / median, 2) if median else None,
            "10,000 names against 100,000 parties ≤ 60 s",
            median <= allowed,
            note=f"against {known_wanted:,} parties; {linked:,} linked at once "
            "(half the list are known firms written another way)",
        )

    def _organization(self, admin, orgs, slug: str):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            organization = orgs.create_organization(
                name=slug, slug=slug, kind="union", country="IN", actor=admin
            )
            orgs.add_person(organization, username=f"{slug}-admin", role="org_admin", actor=admin)
        return organization

    def _synthetic(self, prefix: str, **sizes):
        """The one organization ``synth`` wrote under ``prefix`` (written now if it is not there)."""
        found = Organization.objects.filter(slug__startswith=f"{prefix}-1-").first()
        if found is None:
            plan = synth.Plan(organizations=1, prefix=prefix, submissions_per_member=0, seed=1, **sizes)
            synth.run(plan, say=lambda line: self.stdout.write("  " + line))
            found = Organization.objects.get(slug__startswith=f"{prefix}-1-")
        return found

    def member_import(self, admin, orgs, size) -> Result:
        """Upload, check every row and import N members from a CSV (target: 100,000 in under 60 s)."""
        rows, times = size["members"], []
        for run in range(size["runs"]):
            organization = self._organization(admin, orgs, f"bench-import-{rows}-{run}-{time.time_ns()}")
            actor = User.objects.get(username=f"{organization.slug}-admin")
            data = _members_csv(rows, seed=run)
            started = time.perf_counter()
            job = imports.start(
                organization, target_name="members", filename="bench.csv", data=data, actor=actor
            )
            with transaction.atomic():
                imports.choose_mapping(job, job.mapping, actor=actor)
            job.refresh_from_db()
            with transaction.atomic():
                imports.commit(job, actor=actor)
            times.append(time.perf_counter() - started)
            job.refresh_from_db()
            assert job.imported_rows == rows, (job.status, job.message, job.error_count)
        median = _median(times)
        per_100k = median * 100_000 / rows
        return Result(
            "member_import",
            rows,
            median,
            times,
            None,
            None,
            "100,000 rows ≤ 60 s",
            per_100k <= 60,
            note=f"{per_100k:.1f} s per 100,000 rows",
        )

    def member_name_search(self, admin, orgs, size) -> Result:
        """Find "sunita" among N members (target: 100,000 in under 300 ms); baseline: open every
        member's sealed data and scan, as one would without the in-memory index."""
        rows = size["members"]
        slug = f"bench-search-{rows}"
        organization = self._organization(admin, orgs, slug)
        if Member.objects.filter(organization=organization).count() < rows:
            actor = User.objects.get(username=f"{slug}-admin")
            job = start(
                organization,
                target_name="members",
                filename="bench.csv",
                data=_members_csv(rows, 7),
                actor=actor,
            )
            with transaction.atomic():
                imports.choose_mapping(job, job.mapping, actor=actor)
            with transaction.atomic():
                imports.commit(Import.objects.get(pk=job.pk), actor=actor)
        search.forget(organization.pk)
        started = time.perf_counter()
        search.refresh(organization.pk)
        build = time.perf_counter() - started
        times = []
        for _ in range(20):
            started = time.perf_counter()
            found = search.search(organization.pk, "sunita")
            times.append(time.perf_counter() - started)
        baseline = []
        for _ in range(max(1, size["runs"] - 1)):
            started = time.perf_counter()
            naive = []
            for member in (
                Member.objects.filter(organization=organization)
                .select_related("subject_key")
                .iterator(chunk_size=2000)
            ):
                name = vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)["full_name"]
                if "sunita" in name.casefold():
                    naive.append(member.pk)
            baseline.append(time.perf_counter() - started)
        median, base = _median(times), _median(baseline)
        assert found and set(found) <= set(naive), "the index and the plain scan disagree"
        return Result(
            "member_name_search",
            rows,
            median,
            times,
            base,
            base / median if median else None,
            "100,000 members ≤ 300 ms",
            median * 100_000 / rows <= 0.3 if rows < 100_000 else median <= 0.3,
            note=f"index built once in {build:.1f} s; {len(found)} matches",
        )

    def work_recompute(self, admin, orgs, size) -> Result:
        """Recompute the derived figures of N work orders (target: 1,000,000 in under 2 minutes);
        baseline: Django's own bulk_update of the same figures, on the first 20,000, scaled up."""
        rows = size["orders"]
        organization = self._synthetic(f"bench-work-{rows}", members=rows // 50, orders_per_member=50)
        times = []
        for _ in range(size["runs"]):
            if connection.vendor == "postgresql":
                # As autovacuum keeps a working database: each run leaves a million dead row versions.
                with connection.cursor() as cursor:
                    for table in ("work_workorder", "work_delivery", "work_payment", "work_cost"):
                        cursor.execute(f"VACUUM ANALYZE {table}")
            started = time.perf_counter()
            count = work_services.recompute(organization_id=organization.pk)  # commits chunk by chunk
            times.append(time.perf_counter() - started)
            assert count == rows, count
        flagged = WorkOrder.objects.filter(organization=organization, flag_below_minimum=True).count()
        sample = list(WorkOrder.objects.filter(organization=organization).order_by("pk")[:20_000])
        fields = [name for name in derive.DERIVED_FIELDS]
        started = time.perf_counter()
        with transaction.atomic():
            WorkOrder.objects.bulk_update(sample, fields, batch_size=1000)
        baseline = (time.perf_counter() - started) * rows / len(sample)
        median = _median(times)
        per_million = median * 1_000_000 / rows
        return Result(
            "work_recompute",
            rows,
            median,
            times,
            baseline,
            baseline / median if median else None,
            "1,000,000 orders ≤ 120 s",
            per_million <= 120,
            note=f"{per_million:.0f} s per million; {flagged} below the minimum wage; "
            f"baseline: bulk_update of 20,000 scaled (writes only)",
        )

    def survey_export(self, admin, orgs, size, fmt: str = "csv") -> Result:
        """Export N submissions of a 100-question form to CSV or XLSX (target: 1,000,000 in under 5
        minutes and under 1 GB): each run is `python -m doorstep export_submissions` in a process of
        its own, so that its peak memory is its own. Baseline for CSV: the ORM way, model instances
        decrypted one by one into a list, then written; for XLSX: openpyxl's write-only workbook (what
        Doorstep used before ``core.xlsx``), on 2,000 (it is that slow), the CSV one on 20,000; scaled."""
        rows = size["submissions"]
        slug = f"bench-survey-{rows}"
        organization = self._organization(admin, orgs, slug)
        actor = User.objects.get(username=f"{slug}-admin")
        form = Form.objects.filter(organization=organization, xml_form_id="synth_100").first()
        if form is None or Submission.objects.filter(form=form).count() < rows:
            synth.submissions(organization, actor, rows, questions=100, seed=5)
            form = Form.objects.get(organization=organization, xml_form_id="synth_100")
        times, peaks = [], []
        for _ in range(size["runs"]):
            with (
                tempfile.NamedTemporaryFile(suffix=f".{fmt}") as target,
                tempfile.NamedTemporaryFile(mode="r", suffix=".peak") as peak,
            ):
                started = time.perf_counter()
                subprocess.run(  # noqa: S603 - our own command, fixed arguments
                    [
                        sys.executable,
                        "-c",
                        PEAK_WRAPPER,
                        peak.name,
                        "export_submissions",
                        str(form.pk),
                        "--as",
                        actor.username,
                        "--format",
                        fmt,
                        "-o",
                        target.name,
                    ],
                    check=True,
                )
                times.append(time.perf_counter() - started)
                peaks.append(int(peak.read() or 0) / 1024)
                written = os.path.getsize(target.name)
        sample = list(
            Submission.objects.filter(form=form)
            .select_related("subject_key")
            .order_by("pk")[: 2_000 if fmt == "xlsx" else 20_000]
        )

        tracemalloc.start()
        started = time.perf_counter()
        records = [
            vault.open_sealed(s.subject_key, bytes(s.sealed_data), purpose=survey_services.DATA_PURPOSE)
            for s in sample
        ]
        if fmt == "xlsx":
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("bench")
            for record in records:
                sheet.append(list(record.values()))
            with tempfile.TemporaryFile() as out_file:
                workbook.save(out_file)
        else:
            out = io.StringIO()
            writer = csv.writer(out)
            for record in records:
                writer.writerow(record.values())
        baseline = (time.perf_counter() - started) * rows / len(sample)
        baseline_memory = tracemalloc.get_traced_memory()[1] * rows / len(sample) / 2**20
        tracemalloc.stop()
        median = _median(times)
        per_million = median * 1_000_000 / rows
        return Result(
            "survey_export" if fmt == "csv" else "survey_export_xlsx",
            rows,
            median,
            times,
            baseline,
            baseline / median if median else None,
            "1,000,000 × 100 questions ≤ 300 s, < 1 GB",
            per_million <= 300 and max(peaks) < 1024,
            note=f"{per_million:.0f} s per million; peak memory {max(peaks):.0f} MB (max over runs, "
            f"the export process); {fmt.upper()} of {written / 1e6:.0f} MB; baseline: "
            + (
                "openpyxl write-only, 2,000 scaled"
                if fmt == "xlsx"
                else "ORM instances decrypted into a list then written, 20,000 scaled: "
                f"{baseline_memory:.0f} MB of Python objects held"
            ),
        )

    # The analytics engine ---------------------------------------------------------------------------

    def _federation(self, size):
        """The synthetic federation of ``size["federation"]`` members (10 orders each), one
        organization a 25,000 members, with its network; extracted into the engine."""
        members = size["federation"]
        prefix = f"bench-fed-{members}"
        if not Organization.objects.filter(slug__startswith=f"{prefix}-1-").exists():
            started = time.perf_counter()
            written = synth.run(
                synth.Plan(members=members, orders_per_member=ORDERS_PER_MEMBER, prefix=prefix, seed=1),
                say=lambda line: self.stdout.write("  " + line),
            )
            took = time.perf_counter() - started
            self.stdout.write(
                f"  synth: {written.members:,} members, {written.orders:,} orders in {took:.0f} s"
            )
            # Reported with the workloads: 10,000,000 orders in 20 minutes, less in proportion.
            allowed = 20 * 60 * written.orders / 10_000_000
            self.made.append(
                Result(
                    "synth",
                    written.orders,
                    took,
                    [took],
                    None,
                    None,
                    "1M members, 10M orders ≤ 20 min",
                    took <= allowed,
                    note=f"{written.members:,} members, {written.orders:,} orders with their deliveries, "
                    f"payments, costs, consents and {written.submissions:,} submissions; "
                    f"{written.organizations} organizations",
                )
            )
        started = time.perf_counter()
        report = analytics.refresh()
        self.stdout.write(
            f"  engine refresh: {report.rows['orders']:,} rows in {time.perf_counter() - started:.1f} s"
        )
        organizations = list(Organization.objects.filter(slug__startswith=f"{prefix}-1-").order_by("slug"))
        return organizations, Organization.objects.get(slug=f"{prefix}-network")

    def org_dashboard(self, size) -> Result:
        """The organization's work dashboard (currencies; totals and rows by work giver, sector and
        month; flags) of the federation's largest organization, from the engine; baseline: the same
        figures through the Django ORM on the live tables (``work.stats``)."""
        organizations, _network = self._federation(size)
        organization = organizations[0]
        admin = User.objects.get(username=f"{organization.slug}-admin")
        times, found = _timed(lambda: boards.work_board(admin, organization), DASHBOARD_RUNS)

        def plain():
            orders = WorkOrder.objects.filter(organization=organization)
            return stats.dashboard(orders, stats.currencies(orders)[0])

        baseline, board = _timed(plain, 1 if size["one_baseline_run"] else size["runs"])
        assert found.board["total"].orders == board["total"].orders, "the engine and the ORM disagree"
        median, base, p95 = _median(times), _median(baseline), _p95(times)
        return Result(
            "org_dashboard",
            board["total"].orders,
            median,
            times,
            base,
            base / median if median else None,
            "p95 ≤ 1 s and ≥ 10× the ORM",
            p95 <= 1 and base / median >= 10,
            note=f"p95 {p95:.3f} s over {len(times)} runs; {board['total'].orders:,} orders of one "
            "organization",
            p95_s=p95,
        )

    def network_dashboard(self, size) -> Result:
        """The network's dashboard across all its organizations: work by sector, work by organization
        and members by country, through the aggregates door (consent, disclosure control) from the
        engine; baseline: the same tables through the ORM (``bench.baselines.orm_table``)."""
        organizations, network = self._federation(size)
        asks = [
            queries.ask(network, dataset="work", group_by=["sector"]),
            queries.ask(network, dataset="work", group_by=["organization"]),
            queries.ask(network, dataset="members", group_by=["country"]),
        ]
        times, _tables = _timed(lambda: [queries.figures(a) for a in asks], DASHBOARD_RUNS)
        baseline, plain = _timed(
            lambda: [baselines.orm_table(a) for a in asks], 1 if size["one_baseline_run"] else size["runs"]
        )
        # The engine's cells before protection are the ORM's (which cells the door withholds, and
        # the noise it adds, are core.disclosure's and proved by its attack suite).
        exact = [{r.key: r for r in queries.exact_figures(a).rows} for a in asks]
        for cells, theirs in zip(exact, plain, strict=True):
            for row in theirs.rows:
                if not row.suppressed:
                    mine = cells.get(row.key)
                    assert mine is not None and mine.figures.get("workers") == row.figures.get("workers"), (
                        "the engine and the ORM disagree"
                    )
        median, base, p95 = _median(times), _median(baseline), _p95(times)
        workers = next(r.figures["workers"] for r in exact[0].values() if r.key == ("__total__",))
        return Result(
            "network_dashboard",
            size["federation"],
            median,
            times,
            base,
            base / median if median else None,
            "p95 ≤ 2 s and ≥ 10× the ORM",
            p95 <= 2 and base / median >= 10,
            note=f"p95 {p95:.3f} s; 3 tables over {len(organizations)} organizations; "
            f"{workers:,} consenting workers with orders",
            p95_s=p95,
        )

    def incremental_refresh(self, size) -> Result:
        """Refresh the engine after N orders of the last 90 days changed (as payments and deliveries
        come in), target: 10,000 in 30 s; baseline: a full re-extract of everything."""
        organizations, _network = self._federation(size)
        changed, times, counts = size["changed"], [], []
        recent = list(
            WorkOrder.objects.filter(
                organization__in=organizations, given_on__gte=timezone.localdate() - timedelta(days=90)
            ).values_list("pk", flat=True)
        )
        rng = random.Random(3)
        for _ in range(size["runs"]):
            chosen = rng.sample(recent, min(changed, len(recent)))
            with transaction.atomic():
                WorkOrder.objects.filter(pk__in=chosen).update(
                    gross_paid=F("gross_paid") + 1, updated_at=timezone.now()
                )
            started = time.perf_counter()
            report = analytics.refresh()
            times.append(time.perf_counter() - started)
            counts.append(report.written["orders"])
        baseline, _report = _timed(lambda: analytics.refresh(full=True), 1)
        median = _median(times)
        return Result(
            "incremental_refresh",
            changed,
            median,
            times,
            _median(baseline),
            _median(baseline) / median if median else None,
            "10,000 changed orders ≤ 30 s",
            median <= 30,
            note=f"{_median(counts):.0f} monthly files rewritten; baseline: full re-extract of "
            f"{_report.rows['orders']:,} orders",
        )

    def api_members_first_page(self, size) -> Result:
        """The first page of ``GET /api/v1/members`` for an organization of N members, with a token,
        through the whole Django stack (target: 1,000,000 members, 200 ms)."""
        members = size["api_members"]
        prefix = f"bench-api-{members}"
        if not Organization.objects.filter(slug__startswith=f"{prefix}-1-").exists():
            synth.run(
                synth.Plan(
                    members=members,
                    orders_per_member=0,
                    organizations=1,
                    prefix=prefix,
                    submissions_per_member=0,
                ),
                say=lambda line: self.stdout.write("  " + line),
            )
        organization = Organization.objects.get(slug__startswith=f"{prefix}-1-")
        admin = User.objects.get(username=f"{organization.slug}-admin")
        _token, raw = orgs.issue_token(admin, name=f"bench {time.time_ns()}", actor=admin)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_HOST="127.0.0.1")

        def first_page():
            response = client.get("/api/v1/members", {"organization_id": organization.pk})
            assert response.status_code == 200, response.content[:300]
            return response

        first_page()  # warm: the first request loads the URL configuration
        times, response = _timed(first_page, 20)
        median, p95 = _median(times), _p95(times)
        return Result(
            "api_members_first_page",
            members,
            median,
            times,
            None,
            None,
            "1,000,000 members ≤ 200 ms",
            p95 <= 0.2,
            note=f"p95 {p95 * 1000:.0f} ms over 20 requests; {len(response.json()['items'])} members a page",
            p95_s=p95,
        )

    def openrosa_ingestion(self, admin, orgs, size) -> Result:
        """Phones posting submissions (a 20-question form) to ``/openrosa/<org>/key/<token>/submission``
        of a gunicorn server with 2 sync workers on 127.0.0.1, for N seconds, from 4 senders at once;
        one post in 20 sends again one already acknowledged, as ODK Collect does when a reply was lost.
        Target: ≥ 50 submissions/s in every 10-second window, p95 ≤ 1 s, none lost or duplicated
        (every acknowledged instance stored exactly once, and nothing stored that was not sent)."""
        seconds, senders, questions = size["openrosa_seconds"], 4, 20
        organization = self._organization(admin, orgs, f"bench-openrosa-{time.time_ns()}")
        actor = User.objects.get(username=f"{organization.slug}-admin")
        version = synth.survey_form(organization, actor, questions)
        _app_user, token = survey_services.create_app_user(organization, name="bench phone", actor=actor)
        path = f"/openrosa/{organization.slug}/key/{token}/submission"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        quiet_static = Path(settings.BASE_DIR) / "var" / "bench"  # no pages are asked: nothing to serve
        quiet_static.mkdir(parents=True, exist_ok=True)
        # A production configuration (no DEBUG) behind a TLS proxy, as it would be deployed; the
        # server is stopped below, and by `timeout` should this process die first.
        environment = os.environ | {
            "DOORSTEP_DEBUG": "0",
            "DOORSTEP_SECRET_KEY": settings.SECRET_KEY,
            "DOORSTEP_MASTER_KEY": base64.urlsafe_b64encode(settings.MASTER_KEY).decode(),
            "DOORSTEP_AUDIT_KEY": base64.urlsafe_b64encode(settings.AUDIT_KEY).decode(),
            "DOORSTEP_ALLOWED_HOSTS": "127.0.0.1",
            "DOORSTEP_BEHIND_TLS_PROXY": "1",
            "DOORSTEP_STATIC_ROOT": str(quiet_static),
            "DATABASE_URL": settings.DATABASE_URL,
        }
        server = subprocess.Popen(  # noqa: S603 - our own command line, no input in it
            [
                shutil.which("timeout") or "/usr/bin/timeout",
                str(seconds + 120),
                str(Path(sys.executable).parent / "gunicorn"),
                "doorstep.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            env=environment,
            cwd=settings.BASE_DIR,
        )
        headers = {"X-OpenRosa-Version": "1.0", "X-Forwarded-Proto": "https"}

        def post(body: bytes | None, boundary: str = "") -> tuple[int, float]:
            started = time.perf_counter()
            connection_ = HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                if body is None:
                    connection_.request("HEAD", path, headers=headers)
                else:
                    connection_.request(
                        "POST",
                        path,
                        body=body,
                        headers=headers | {"Content-Type": f"multipart/form-data; boundary={boundary}"},
                    )
                status = connection_.getresponse().status
            finally:
                connection_.close()
            return status, time.perf_counter() - started

        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if post(None)[0] == 204:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the gunicorn server did not start")
                time.sleep(0.2)
            log: list[tuple[float, float, int, str, bool]] = []  # (sent at, seconds, status, id, again)
            lock = threading.Lock()
            began = time.perf_counter()
            until = began + seconds

            def sender(number: int) -> None:
                rng = random.Random(number)
                acknowledged: list[str] = []
                while time.perf_counter() < until:
                    again = bool(acknowledged) and rng.random() < 0.05
                    instance = (
                        rng.choice(acknowledged) if again else f"uuid:{uuid.UUID(int=rng.getrandbits(128))}"
                    )
                    answers = "".join(f"<{k}>{v}</{k}>" for k, v in synth.answers(questions, rng).items())
                    xml = (
                        f'<data id="synth_{questions}" version="1">{answers}'
                        f"<meta><instanceID>{instance}</instanceID></meta></data>"
                    ).encode()
                    boundary = f"doorstep{rng.getrandbits(64):x}"
                    body = (
                        (
                            f'--{boundary}\r\nContent-Disposition: form-data; name="xml_submission_file"; '
                            f'filename="submission.xml"\r\nContent-Type: text/xml\r\n\r\n'
                        ).encode()
                        + xml
                        + f"\r\n--{boundary}--\r\n".encode()
                    )
                    sent_at = time.perf_counter() - began
                    try:
                        status, took = post(body, boundary)
                    except OSError:
                        status, took = 0, time.perf_counter() - began - sent_at
                    if status == 201 and not again:
                        acknowledged.append(instance)
                    with lock:
                        log.append((sent_at, took, status, instance, again))

            threads = [threading.Thread(target=sender, args=(n,)) for n in range(senders)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        first = [entry for entry in log if not entry[4]]
        acknowledged = {entry[3] for entry in first if entry[2] == 201}
        sent = {entry[3] for entry in first}
        failed = [entry for entry in log if entry[2] != 201]
        stored = list(Submission.objects.filter(form=version.form).values_list("instance_id", flat=True))
        lost = len(acknowledged - set(stored))
        duplicated = (len(stored) - len(set(stored))) + len(set(stored) - sent)
        windows = [0] * max(1, int(elapsed // 10))
        for sent_at, took, status, _instance, _again in first:
            if status == 201 and int((sent_at + took) // 10) < len(windows):
                windows[int((sent_at + took) // 10)] += 1
        slowest_window = min(windows) / 10 if elapsed >= 10 else len(acknowledged) / elapsed
        times = [entry[1] for entry in log]
        rate, p95 = len(acknowledged) / elapsed, _p95(times)
        return Result(
            "openrosa_ingestion",
            len(acknowledged),
            _median(times),
            times[:50],
            None,
            None,
            "≥ 50/s sustained, p95 ≤ 1 s, 0 lost",
            slowest_window >= 50 and p95 <= 1 and not lost and not duplicated,
            note=f"{rate:.1f} submissions/s over {elapsed:.0f} s (slowest 10 s: {slowest_window:.1f}/s); "
            f"p95 {p95 * 1000:.0f} ms; {len(log) - len(first)} sent again; {len(failed)} refused or failed; "
            f"{lost} lost, {duplicated} duplicated; gunicorn, 2 workers, {senders} senders",
            p95_s=p95,
        )

    # Report ---------------------------------------------------------------------------------------

    def _report(self, results: list[Result], scale: str, output: Path) -> None:
        columns = f"{'workload':<22} {'size':>8} {'median':>10} {'baseline':>10} {'ratio':>8}  {'target':<26}"
        header = columns + " result"
        self.stdout.write("\n" + header + "\n" + "-" * len(header))
        for r in results:
            baseline = f"{r.baseline_median_s:.3f}s" if r.baseline_median_s is not None else "—"
            ratio = f"{r.ratio:.0f}x" if r.ratio else "—"
            self.stdout.write(
                f"{r.workload:<22} {r.size:>8} {r.median_s:>9.3f}s {baseline:>10} {ratio:>8}  {r.target:<26} "
                f"{'PASS' if r.passed else 'FAIL'}  ({r.note})"
            )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(
            json.dumps(
                {"scale": scale, "database": connection.vendor, "results": [asdict(r) for r in results]},
                indent=2,
            )
        )
        self.stdout.write(f"\nwritten to {output}")

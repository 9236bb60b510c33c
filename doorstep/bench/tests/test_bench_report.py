"""`python -m doorstep bench`: what its table says. A saved run is printed again with `--report`, so
the rules of the table (ratios, "ran" at the smoke scale, a baseline that wins) are checked on
figures chosen here; one real run checks that it says which database and settings it measured."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


def _result(**overrides) -> dict:
    result = {
        "workload": "network_dashboard",
        "size": 20_000,
        "median_s": 0.1,
        "runs": [0.1] * 30,
        "target": "p95 ≤ 0.5 s; ≥ 5× hand-written SQL",
        "checks": [{"what": "p95 0.120 s ≤ 0.5 s", "ok": True, "at_scale": True}],
        "baselines": [{"name": "the ORM", "median_s": 2.4, "runs": 3, "min_ratio": 1.0, "note": ""}],
        "note": "",
        "p95_s": 0.12,
    }
    return result | overrides


def _report(tmp_path, scale: str, *results: dict) -> str:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"scale": scale, "database": "PostgreSQL 15", "results": list(results)}))
    out = io.StringIO()
    call_command("bench", report=str(path), stdout=out)
    return out.getvalue()


def _line(output: str, workload: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(workload))


def test_a_target_met_against_every_baseline_passes_with_its_ratio(tmp_path):
    output = _report(tmp_path, "small", _result())
    assert _line(output, "network_dashboard").endswith("PASS")
    assert "vs the ORM: 2.400s median of 3: Doorstep 24x" in output


def test_a_ratio_below_one_prints_as_such_and_the_baseline_winning_fails(tmp_path):
    slower = _result(
        baselines=[
            {"name": "rapidfuzz extractOne", "median_s": 0.021, "runs": 3, "min_ratio": 1.0, "note": ""}
        ]
    )
    output = _report(tmp_path, "small", slower)
    assert _line(output, "network_dashboard").endswith("FAIL")
    assert "Doorstep 0.21x" in output and "0x " not in output
    assert "the baseline wins" in output
    assert "missed: not slower than rapidfuzz extractOne" in output


def test_faster_but_short_of_the_ratio_asked_fails(tmp_path):
    sql = {"name": "hand-written PostgreSQL", "median_s": 0.34, "runs": 5, "min_ratio": 5.0, "note": ""}
    output = _report(tmp_path, "1M", _result(baselines=[sql]))
    assert _line(output, "network_dashboard").endswith("FAIL")
    assert "Doorstep 3.4x (needs ≥ 5x)" in output
    assert "missed: ≥ 5× hand-written PostgreSQL" in output


def test_a_time_missed_at_the_targets_size_fails(tmp_path):
    slow = _result(checks=[{"what": "p95 0.900 s ≤ 0.5 s", "ok": False, "at_scale": True}])
    output = _report(tmp_path, "1M", slow)
    assert _line(output, "network_dashboard").endswith("FAIL")
    assert "missed: p95 0.900 s ≤ 0.5 s" in output


def test_at_the_smoke_scale_targets_that_hold_only_at_size_print_ran(tmp_path):
    slow = _result(
        checks=[{"what": "p95 0.900 s ≤ 0.5 s", "ok": False, "at_scale": True}],
        baselines=[{"name": "the ORM", "median_s": 0.05, "runs": 2, "min_ratio": 1.0, "note": ""}],
    )
    output = _report(tmp_path, "smoke", slow)
    line = _line(output, "network_dashboard")
    assert line.endswith("ran") and "FAIL" not in output and "PASS" not in output
    assert "Doorstep 0.50x" in output  # still printed as measured


def test_at_the_smoke_scale_a_check_that_holds_at_any_size_still_fails(tmp_path):
    lost = _result(
        workload="openrosa_ingestion",
        checks=[
            {"what": "slowest 10 s 80.0/s ≥ 200/s", "ok": False, "at_scale": True},
            {"what": "2 lost", "ok": False, "at_scale": False},
        ],
        baselines=[],
    )
    output = _report(tmp_path, "smoke", lost)
    assert _line(output, "openrosa_ingestion").endswith("FAIL")
    assert "missed: 2 lost" in output and "80.0/s" not in output.split("missed:")[1]


def test_a_baseline_not_run_here_says_why_and_decides_nothing(tmp_path):
    sql = {
        "name": "hand-written PostgreSQL",
        "median_s": None,
        "runs": 0,
        "min_ratio": 5.0,
        "note": "PostgreSQL only",
    }
    output = _report(tmp_path, "small", _result(baselines=[sql]))
    assert "vs hand-written PostgreSQL: not measured; PostgreSQL only" in output
    assert _line(output, "network_dashboard").endswith("PASS")


def test_a_file_that_is_not_a_run_is_refused_naming_it(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"rows": []}')
    with pytest.raises(CommandError, match=r"other\.json: not a results file of `bench`"):
        call_command("bench", report=str(path), stdout=io.StringIO())


@pytest.mark.django_db
def test_a_run_says_its_database_and_settings_and_scores_supplier_matching(tmp_path):
    out = io.StringIO()
    call_command(
        "bench",
        scale="smoke",
        only="supplier_match",
        output=str(tmp_path / "r.json"),
        stdout=out,
        stderr=io.StringIO(),
    )
    output = out.getvalue()
    assert "database: SQLite" in output or "database: PostgreSQL" in output
    assert "settings: production (DEBUG off" in output
    assert "vs rapidfuzz extractOne:" in output and "its precision" in output
    assert "on 428 labelled pairs: precision" in output
    saved = json.loads((tmp_path / "r.json").read_text())
    assert saved["scale"] == "smoke" and saved["results"][0]["workload"] == "supplier_match"
    assert {check["at_scale"] for check in saved["results"][0]["checks"]} == {True, False}

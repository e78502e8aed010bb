"""`contact bench` at a tiny scale, as a smoke test: it runs every stage and writes its
results. No duration is asserted; the figures are for benchmarks/README.md."""

import json
from datetime import date
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from contact_platform.cli import app
from contact_platform.settings import Settings
from contact_platform.warehouse import embedded

pytestmark = pytest.mark.slow

STAGES = [
    "generate",
    "raw COPY reference",
    "ingest",
    "dbt build",
    "expectation suites",
    "incremental day (drop to marts)",
    "one large delivery",
]


def bench(home: Path, results: Path, *flags: str):
    return CliRunner().invoke(
        app,
        [
            "bench",
            "--scale",
            "0.001",
            "--days",
            "2",
            "--big-delivery-mb",
            "0.5",
            "--home",
            str(home),
            "--results",
            str(results),
            *flags,
        ],
    )


def test_bench_runs_every_stage_and_writes_results(tmp_path: Path):
    results = tmp_path / "results"
    outcome = bench(tmp_path / "home", results)
    assert outcome.exit_code == 0, outcome.output
    [path] = results.glob("*.json")
    document = json.loads(path.read_text())
    assert [stage["name"] for stage in document["stages"]] == STAGES
    for stage in document["stages"]:
        assert stage["seconds"] > 0
        assert stage["python_peak_mb"] > 0 and stage["postgres_peak_mb"] > 0
    by_name = {stage["name"]: stage for stage in document["stages"]}
    assert by_name["ingest"]["rows"] == by_name["raw COPY reference"]["rows"] > 0
    assert by_name["ingest"]["notes"]["share_of_raw_copy_throughput"] > 0
    # CPU of the loader processes (children of the bench) and of the server's backends.
    assert by_name["ingest"]["python_cpu_seconds"] > 0
    assert by_name["dbt build"]["postgres_cpu_seconds"] > 0
    assert all(0 <= stage["steal_share"] < 1 for stage in document["stages"])
    assert by_name["dbt build"]["notes"]["statuses"].get("error", 0) == 0
    assert all(s["success"] for s in by_name["expectation suites"]["notes"]["suites"].values())
    assert document["machine"]["cpus"] >= 1
    assert len(document["code"]["commit"]) == 40  # the tests run from a checkout
    assert "ingestion / raw COPY throughput" in outcome.output
    assert 0 < document["privacy"]["linkage_precision"] <= 1
    assert "linkage precision" in outcome.output

    # The large delivery measured ingestion only: it leaves raw, so that a next day builds
    # nothing but itself.
    settings = Settings.from_env({"CONTACT_HOME": str(tmp_path / "home")})
    with psycopg.connect(embedded.start(settings.pgdata_dir)) as conn:
        days = conn.execute("SELECT DISTINCT period_start::date FROM raw.deliveries ORDER BY 1")
        assert [day for (day,) in days] == [date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3)]

    # --next-day: the day after the bench's own (2025-01-03), on its history.
    [first] = results.glob("*.json")
    outcome = bench(tmp_path / "home", results, "--next-day")
    assert outcome.exit_code == 0, outcome.output
    [path] = set(results.glob("*.json")) - {first}
    [day] = json.loads(path.read_text())["stages"]
    assert day["name"] == "incremental day (drop to marts)" and day["rows"] > 0
    assert day["notes"]["day"] == "2025-01-04"
    assert day["notes"]["statuses"].get("error", 0) == day["notes"]["statuses"].get("fail", 0) == 0
    assert all(s["success"] for s in day["notes"]["suites"].values())


def test_next_day_needs_an_earlier_bench_in_its_home(tmp_path: Path):
    outcome = bench(tmp_path / "empty", tmp_path / "results", "--next-day")
    assert outcome.exit_code == 2
    assert "no bench history" in outcome.output
    assert not (tmp_path / "results").exists()

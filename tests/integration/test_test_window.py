"""Routine builds test only what changed recently; the full check still reads all history."""

import json
from pathlib import Path

import psycopg
import pytest

from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.parallel import load_deliveries
from contact_platform.synthetic.generator import GeneratorSpec, generate
from contact_platform.transform.assets import DbtBuildConfig, dbt_build_args
from tests.conftest import TEST_KEY, run_dbt

pytestmark = pytest.mark.slow

SPEC = GeneratorSpec(days=1, scale=0.02, associations=("nantes",))
WINDOW = ["--vars", json.dumps({"test_window_days": 2})]
VISITS = ["+visit_occurrence"]
# Every change stamp a window reads, to make days pass.
AGED = (
    ("raw.deliveries", "changed_at"),
    ("operations.staged_deliveries", "changed_at"),
    ("intermediate.int_visits", "changed_at"),
    ("operations.test_passes", "passed_at"),
)


def test_build_args_follow_the_run_config():
    assert dbt_build_args(DbtBuildConfig()) == ["build", *WINDOW]
    assert dbt_build_args(DbtBuildConfig(test_window_days=None)) == ["build"]


def test_the_window_skips_old_rows_and_catches_recent_ones(empty_warehouse, tmp_path: Path):
    generate(SPEC, tmp_path / "incoming", workers=1)
    for outcome in load_deliveries(
        empty_warehouse, ready_deliveries(tmp_path / "incoming"), TEST_KEY
    ):
        assert outcome.result is not None
    target = tmp_path / "target"
    run_dbt(empty_warehouse, VISITS, target)
    with psycopg.connect(empty_warehouse, autocommit=True) as conn:
        # Ten days later: an old visit has been corrupted (its end before its start).
        conn.execute("UPDATE raw.deliveries SET changed_at = changed_at - interval '10 days'")
        conn.execute(
            "UPDATE intermediate.int_visits SET changed_at = changed_at - interval '10 days'"
        )
        conn.execute(
            """UPDATE omop.visit_occurrence
               SET visit_end_datetime = visit_start_datetime - interval '1 hour'
               WHERE visit_occurrence_id = (SELECT min(visit_occurrence_id)
                                            FROM omop.visit_occurrence)"""
        )

        run_dbt(empty_warehouse, VISITS, target, *WINDOW)  # old rows: not read
        with pytest.raises(AssertionError):
            run_dbt(empty_warehouse, VISITS, target)  # the full check reads them

        # A test that never passed reads every row, window or not.
        passes = conn.execute("SELECT test_id, passed_at FROM operations.test_passes").fetchall()
        conn.execute("DELETE FROM operations.test_passes")
        with pytest.raises(AssertionError):
            run_dbt(empty_warehouse, VISITS, target, *WINDOW)
        conn.execute("DELETE FROM operations.test_passes")
        conn.cursor().executemany("INSERT INTO operations.test_passes VALUES (%s, %s)", passes)

        # Today a re-delivered encounter ends before it starts: its new rows are tested.
        conn.execute(
            """UPDATE raw.encounters SET ended_at = started_at - interval '1 hour',
                                         loaded_at = now()
               WHERE encounter_id = (SELECT min(encounter_id) FROM raw.encounters)"""
        )
        conn.execute("UPDATE raw.deliveries SET changed_at = now()")
        with pytest.raises(AssertionError):
            run_dbt(empty_warehouse, VISITS, target, *WINDOW)

        # Four days on, still not corrected: past the two days, the failing tests still read
        # the rows changed since they last passed.
        for table, stamp in AGED:
            conn.execute(f"UPDATE {table} SET {stamp} = {stamp} - interval '4 days'")
        with pytest.raises(AssertionError):
            run_dbt(empty_warehouse, VISITS, target, *WINDOW)

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
PERSONS = ["person", "observation_period"]
# Every change stamp a window reads, to make days pass.
AGED = (
    ("raw.deliveries", "changed_at"),
    ("operations.staged_deliveries", "changed_at"),
    ("intermediate.int_visits", "changed_at"),
    ("intermediate.int_person_links", "changed_at"),
    ("operations.test_passes", "passed_at"),
)


def test_build_args_follow_the_run_config():
    assert dbt_build_args(DbtBuildConfig()) == ["build", *WINDOW]
    assert dbt_build_args(DbtBuildConfig(test_window_days=None)) == ["build"]


def _build(warehouse: str, tmp_path: Path, selection: list[str]) -> Path:
    """A day of one association loaded and built through `selection`; the dbt target dir."""
    generate(SPEC, tmp_path / "incoming", workers=1)
    for outcome in load_deliveries(warehouse, ready_deliveries(tmp_path / "incoming"), TEST_KEY):
        assert outcome.result is not None
    target = tmp_path / "target"
    run_dbt(warehouse, selection, target)
    return target


def _age(conn: psycopg.Connection, days: int) -> None:
    """Make `days` pass for every change stamp a window reads."""
    for table, stamp in AGED:
        conn.execute(f"UPDATE {table} SET {stamp} = {stamp} - make_interval(days => %s)", (days,))


def _passed_then_aged(conn: psycopg.Connection) -> None:
    """Every test passed (as if a failure had been corrected), ten days ago."""
    conn.execute("UPDATE operations.test_passes SET passed_at = now()")
    _age(conn, 10)


def test_the_window_skips_old_rows_and_catches_recent_ones(empty_warehouse, tmp_path: Path):
    target = _build(empty_warehouse, tmp_path, VISITS)
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
        _age(conn, 4)
        with pytest.raises(AssertionError):
            run_dbt(empty_warehouse, VISITS, target, *WINDOW)


def test_the_window_tests_the_persons_the_feed_names(empty_warehouse, tmp_path: Path):
    """Per-person tables have no delivery or visit column: the window names their persons from
    the records delivered and the links changed in it, and nobody else."""
    target = _build(empty_warehouse, tmp_path, ["+person", "+observation_period"])
    with psycopg.connect(empty_warehouse, autocommit=True) as conn:
        # Ten days later: an old person has lost their observation period, and rebuilding
        # their rows would not bring it back (their visits are no longer present).
        _age(conn, 10)
        person_key, person_id, call_key = conn.execute(
            """SELECT persons.person_key, persons.person_id, substr(min(links.record_key), 6)
               FROM intermediate.int_persons AS persons
               JOIN intermediate.int_person_links AS links USING (person_key)
               WHERE links.record_key LIKE 'call:%%'
               GROUP BY persons.person_key, persons.person_id
               ORDER BY persons.person_id LIMIT 1"""
        ).fetchone()
        conn.execute(
            "UPDATE intermediate.int_visits SET is_present = false WHERE person_id = %s",
            (person_id,),
        )
        conn.execute("DELETE FROM omop.observation_period WHERE person_id = %s", (person_id,))

        run_dbt(empty_warehouse, PERSONS, target, *WINDOW)  # nobody changed: not read
        with pytest.raises(AssertionError):
            run_dbt(empty_warehouse, PERSONS, target)  # the full check reads everyone

        # Today one of their calls is delivered again.
        conn.execute(
            """UPDATE raw.deliveries SET changed_at = now()
               WHERE delivery_id = (SELECT delivery_id FROM staging.stg_calls
                                    WHERE call_key = %s)""",
            (call_key,),
        )
        with pytest.raises(AssertionError):
            run_dbt(empty_warehouse, PERSONS, target, *WINDOW)

        # Ten days on, one of their records is relinked (still to them).
        _passed_then_aged(conn)
        relink = "UPDATE intermediate.int_person_links SET changed_at = now() WHERE record_key = %s"
        conn.execute(relink, ("call:" + call_key,))
        with pytest.raises(AssertionError):
            run_dbt(empty_warehouse, PERSONS, target, *WINDOW)

        # Ten days on, another person's record was theirs before.
        _passed_then_aged(conn)
        conn.execute(
            """UPDATE intermediate.int_person_links
               SET previous_person_key = %s, changed_at = now()
               WHERE record_key = (SELECT min(record_key) FROM intermediate.int_person_links
                                   WHERE person_key <> %s)""",
            (person_key, person_key),
        )
        with pytest.raises(AssertionError):
            run_dbt(empty_warehouse, PERSONS, target, *WINDOW)

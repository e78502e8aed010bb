"""Incremental OMOP: day after day, only the changed visits are rebuilt, and the tables are
identical to a full refresh; a Usagi mapping remaps history on the next run."""

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from contact_platform.contract.delivery import Manifest
from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.loader import ensure_raw_tables, load_delivery
from contact_platform.privacy.retention import purge_older_than
from contact_platform.synthetic.generator import GeneratorSpec, generate
from contact_platform.vocabulary.athena import load_athena
from contact_platform.vocabulary.local import icpc2_concept_id
from contact_platform.vocabulary.usagi import import_usagi
from tests.conftest import TEST_KEY, run_dbt
from tests.integration.test_loader import _resequence, _rewrite_file
from tests.integration.test_vocabulary import concept_row, usagi_file, write_athena

pytestmark = pytest.mark.slow

SPEC = GeneratorSpec(
    start=date(2025, 1, 6), days=3, scale=0.03, associations=("lyon", "la-reunion")
)
OMOP = ["+path:models/omop", "+path:models/marts"]
TABLES = (
    "person",
    "observation_period",
    "visit_occurrence",
    "visit_detail",
    "condition_occurrence",
    "observation",
    "measurement",
    "drug_exposure",
    "note",
    "death",
    "provider",
    "care_site",
    "location",
    "episode",
    "episode_event",
)
INFLUENZA = 4266367


MARTS = ("mart_daily_activity", "mart_weekly_diagnoses")
STAGING = ("stg_calls", "stg_encounters", "stg_diagnoses", "stg_vital_signs", "stg_prescriptions")


def snapshot(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    """Every OMOP table, mart, staging table and person link, without the stamps of the run
    that wrote them (a full refresh restamps everything) or the links' tombstones."""
    queries = {f"omop.{table}": f"SELECT * FROM omop.{table}" for table in TABLES}
    queries |= {f"marts.{table}": f"SELECT * FROM marts.{table}" for table in MARTS}
    for table in (*STAGING, "int_person_links"):
        schema = "intermediate" if table.startswith("int_") else "staging"
        columns = conn.execute(
            "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) "
            "FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
            "AND column_name NOT IN ('staged_at', 'changed_at', 'previous_person_key')",
            (schema, table),
        ).fetchone()[0]
        present = " WHERE is_present" if table == "int_person_links" else ""
        queries[f"{schema}.{table}"] = f"SELECT {columns} FROM {schema}.{table}{present}"
    return {
        table: conn.execute(f"{query} ORDER BY 1, 2, 3").fetchall()
        for table, query in queries.items()
    }


def row_versions(conn: psycopg.Connection, delivery_id: str) -> set[tuple[str, str]]:
    """(call, row version) of a delivery's staged calls: a restaged row gets a new xmin."""
    return set(
        conn.execute(
            "SELECT call_key, xmin::text FROM staging.stg_calls WHERE delivery_id = %s",
            (delivery_id,),
        ).fetchall()
    )


def correction_without_its_last_calls(delivery, folder: Path, dropped: int):
    """The delivery sent again (sequence 2) without its last calls, as a corrected extract."""
    corrected = _resequence(delivery, 2, folder)
    _rewrite_file(
        corrected, "calls", lambda text: "\n".join(text.split("\n")[: -1 - dropped]) + "\n"
    )
    manifest = Manifest.from_json(corrected.manifest.read_text())
    files = [
        dataclasses.replace(entry, rows=entry.rows - dropped) if entry.entity == "calls" else entry
        for entry in manifest.files
    ]
    corrected.manifest.write_text(dataclasses.replace(manifest, files=tuple(files)).to_json())
    return corrected


def visits_changed_by_last_run(conn: psycopg.Connection) -> int:
    return conn.execute(
        "SELECT count(*) FROM intermediate.int_visits "
        "WHERE changed_at = (SELECT max(changed_at) FROM intermediate.int_visits)"
    ).fetchone()[0]


# The tables the change feed is read from, and their stamp.
FEED = {
    **{f"staging.{table}": "staged_at" for table in STAGING},
    "intermediate.int_visits": "changed_at",
    "intermediate.int_person_links": "changed_at",
}


def stamp_counts(conn: psycopg.Connection, table: str) -> list[tuple]:
    """The rows of each stamp of a staging table, as its statistics say."""
    return conn.execute(
        "SELECT stamp, row_count FROM operations.stamp_counts WHERE model = %s ORDER BY 1",
        (table,),
    ).fetchall()


def newest_rows(conn: psycopg.Connection, table: str, stamp: str) -> tuple[int, int]:
    """(estimated, actual) rows carrying the newest stamp, as the models downstream ask: every
    row a run writes has the same stamp, so only fresh statistics of it see them."""
    query = sql.SQL("SELECT * FROM {} WHERE {} >= {}").format(
        sql.Identifier(*table.split(".")),
        sql.Identifier(stamp),
        sql.Literal(conn.execute(f"SELECT max({stamp}) FROM {table}").fetchone()[0]),
    )
    plan = conn.execute(sql.SQL("EXPLAIN (FORMAT JSON) {}").format(query)).fetchone()[0]
    actual = conn.execute(sql.SQL("SELECT count(*) FROM ({}) AS newest").format(query))
    return plan[0]["Plan"]["Plan Rows"], actual.fetchone()[0]


# The columns the test window chooses rows by, in the order test_window.sql tries them.
WINDOW_COLUMNS = (
    "delivery_id",
    "visit_occurrence_id",
    "episode_id",
    "encounter_key",
    "call_key",
    "changed_at",
    "person_id",
)


def unindexed_window_columns(conn: psycopg.Connection) -> list[str]:
    """Built tables whose window column leads no index: a routine build's tests would compare
    each of their rows with the window's keys instead of looking the keys up."""
    rows = conn.execute(
        """SELECT DISTINCT ON (tables.oid) tables.oid::regclass::text, columns.attname,
                  EXISTS (SELECT 1 FROM pg_index AS indexes
                          WHERE indexes.indrelid = tables.oid
                            AND indexes.indkey[0] = columns.attnum)
           FROM pg_class AS tables
           JOIN pg_namespace AS schemas ON schemas.oid = tables.relnamespace
           JOIN pg_attribute AS columns ON columns.attrelid = tables.oid
           WHERE tables.relkind = 'r'
             AND schemas.nspname IN ('staging', 'intermediate', 'omop', 'marts')
             AND columns.attname = ANY(%s)
           ORDER BY tables.oid, array_position(%s, columns.attname::text)""",
        (list(WINDOW_COLUMNS), list(WINDOW_COLUMNS)),
    ).fetchall()
    assert len(rows) > 20, "the window's tables were built"
    return [f"{table}.{column}" for table, column, indexed in rows if not indexed]


def test_incremental_days_equal_a_full_refresh(empty_warehouse, tmp_path: Path):
    generate(SPEC, tmp_path / "deliveries", workers=1)
    by_day: dict[str, list] = {}
    for delivery in ready_deliveries(tmp_path / "deliveries"):
        by_day.setdefault(delivery.name.period[:8], []).append(delivery)
    assert len(by_day) == 3
    first, second, third = sorted(by_day)
    target = tmp_path / "target"
    with psycopg.connect(empty_warehouse, autocommit=True) as conn:
        ensure_raw_tables(conn)
        for day in (first, second):
            for delivery in by_day[day]:
                load_delivery(conn, delivery, TEST_KEY)
            run_dbt(empty_warehouse, OMOP, target)
        untouched = by_day[second][0].name.delivery_id
        before = row_versions(conn, untouched)
        # Before day 3: a corrected extract drops 3 calls of day 1, and retention removes every
        # record older than noon on day 1 (UTC): staging must lose exactly those rows.
        corrected = by_day[first][1]
        load_delivery(
            conn, correction_without_its_last_calls(corrected, tmp_path / "fix", 3), TEST_KEY
        )
        purge_older_than(conn, datetime(2025, 1, 6, 12, tzinfo=UTC))
        for delivery in by_day[third]:
            load_delivery(conn, delivery, TEST_KEY)
        run_dbt(empty_warehouse, OMOP, target)
        for table, stamp in FEED.items():
            estimated, actual = newest_rows(conn, table, stamp)
            assert actual / 2 <= estimated <= actual * 2, f"{table}: the planner sees new rows"
        for table in STAGING:
            assert (
                stamp_counts(conn, table)
                == conn.execute(
                    f"SELECT staged_at, count(*) FROM staging.{table} GROUP BY 1 ORDER BY 1"
                ).fetchall()
            ), f"{table}: the stamps' statistics count every row"
        total = conn.execute("SELECT count(*) FROM intermediate.int_visits").fetchone()[0]
        assert 0 < visits_changed_by_last_run(conn) < total, "day 3 rebuilt only what changed"
        assert row_versions(conn, untouched) == before, "day 2 rows were not restaged"
        assert conn.execute(
            "SELECT count(*) FROM staging.stg_calls WHERE received_at < '2025-01-06 12:00Z'"
        ).fetchone() == (0,)

        stamps = "SELECT max(changed_at), count(DISTINCT changed_at) FROM intermediate.int_visits"
        before_idle_run = conn.execute(stamps).fetchone()
        run_dbt(empty_warehouse, OMOP, target)
        assert conn.execute(stamps).fetchone() == before_idle_run, "no new data, no change"
        raw_calls = conn.execute("SELECT count(DISTINCT (association_id, call_id)) FROM raw.calls")
        assert raw_calls.fetchone()[0] == len(snapshot(conn)["staging.stg_calls"])
        incremental = snapshot(conn)
        assert all(incremental[f"omop.{t}"] for t in TABLES if t != "death")
        assert unindexed_window_columns(conn) == []

        run_dbt(empty_warehouse, OMOP, target, "--full-refresh")
        assert snapshot(conn) == incremental

        # A reviewed mapping for influenza: history is remapped, the source concept is kept.
        load_athena(
            conn,
            write_athena(tmp_path / "athena", [concept_row(INFLUENZA, "Influenza", "Condition")]),
        )
        import_usagi(
            conn, usagi_file(tmp_path / "usagi.csv", [("R80", "APPROVED", str(INFLUENZA))])
        )
        run_dbt(empty_warehouse, OMOP, target)
        rows = conn.execute(
            """SELECT condition_source_value, condition_concept_id, condition_source_concept_id,
                      count(*)
               FROM omop.condition_occurrence GROUP BY 1, 2, 3"""
        ).fetchall()
        assert ("R80", INFLUENZA, icpc2_concept_id("R80")) in [row[:3] for row in rows]
        assert all(concept == (INFLUENZA if code == "R80" else 0) for code, concept, _, _ in rows)
        assert all(source == icpc2_concept_id(code) for code, _, source, _ in rows)

        # Id maps refuse a duplicate key or id when it is written (unique indexes, not tests).
        for duplicate in (
            "INSERT INTO intermediate.int_visit_ids SELECT source_key, 0 FROM "
            "intermediate.int_visit_ids LIMIT 1",
            "INSERT INTO intermediate.int_visit_ids SELECT 'new', visit_occurrence_id FROM "
            "intermediate.int_visit_ids LIMIT 1",
        ):
            with pytest.raises(psycopg.errors.UniqueViolation):
                conn.execute(duplicate)

        # OMOP primary keys and required fields are constraints (their tests were dropped).
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("INSERT INTO omop.person SELECT * FROM omop.person LIMIT 1")
        with pytest.raises(psycopg.errors.NotNullViolation):
            conn.execute(
                "UPDATE omop.observation SET observation_concept_id = NULL "
                "WHERE observation_id = (SELECT min(observation_id) FROM omop.observation)"
            )

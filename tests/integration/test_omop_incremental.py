"""Incremental OMOP: day after day, only the changed visits are rebuilt, and the tables are
identical to a full refresh; a Usagi mapping remaps history on the next run."""

from datetime import date
from pathlib import Path

import psycopg
import pytest

from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.loader import ensure_raw_tables, load_delivery
from contact_platform.synthetic.generator import GeneratorSpec, generate
from contact_platform.vocabulary.athena import load_athena
from contact_platform.vocabulary.local import icpc2_concept_id
from contact_platform.vocabulary.usagi import import_usagi
from tests.conftest import TEST_KEY, run_dbt
from tests.integration.test_vocabulary import concept_row, usagi_file, write_athena

pytestmark = pytest.mark.slow

SPEC = GeneratorSpec(
    start=date(2025, 1, 6), days=3, scale=0.03, associations=("lyon", "la-reunion")
)
OMOP = "+path:models/omop"
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


def snapshot(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    return {
        table: conn.execute(f"SELECT * FROM omop.{table} ORDER BY 1, 2, 3").fetchall()
        for table in TABLES
    }


def visits_changed_by_last_run(conn: psycopg.Connection) -> int:
    return conn.execute(
        "SELECT count(*) FROM intermediate.int_visits "
        "WHERE changed_at = (SELECT max(changed_at) FROM intermediate.int_visits)"
    ).fetchone()[0]


def test_incremental_days_equal_a_full_refresh(empty_warehouse, tmp_path: Path):
    generate(SPEC, tmp_path / "deliveries", workers=1)
    by_day: dict[str, list] = {}
    for delivery in ready_deliveries(tmp_path / "deliveries"):
        by_day.setdefault(delivery.name.period[:8], []).append(delivery)
    assert len(by_day) == 3
    target = tmp_path / "target"
    with psycopg.connect(empty_warehouse, autocommit=True) as conn:
        ensure_raw_tables(conn)
        changed = []
        for day in sorted(by_day):
            for delivery in by_day[day]:
                load_delivery(conn, delivery, TEST_KEY)
            run_dbt(empty_warehouse, [OMOP], target)
            changed.append(visits_changed_by_last_run(conn))
        total = conn.execute("SELECT count(*) FROM intermediate.int_visits").fetchone()[0]
        assert 0 < changed[-1] < total, "the third day rebuilt only its own visits"

        run_dbt(empty_warehouse, [OMOP], target)
        assert (
            conn.execute(
                "SELECT count(DISTINCT changed_at) FROM intermediate.int_visits"
            ).fetchone()[0]
            == 3
        ), "a run without new data changes no visit"
        incremental = snapshot(conn)
        assert all(incremental[t] for t in TABLES if t != "death")

        run_dbt(empty_warehouse, [OMOP], target, "--full-refresh")
        assert snapshot(conn) == incremental

        # A reviewed mapping for influenza: history is remapped, the source concept is kept.
        load_athena(
            conn,
            write_athena(tmp_path / "athena", [concept_row(INFLUENZA, "Influenza", "Condition")]),
        )
        import_usagi(
            conn, usagi_file(tmp_path / "usagi.csv", [("R80", "APPROVED", str(INFLUENZA))])
        )
        run_dbt(empty_warehouse, [OMOP], target)
        rows = conn.execute(
            """SELECT condition_source_value, condition_concept_id, condition_source_concept_id,
                      count(*)
               FROM omop.condition_occurrence GROUP BY 1, 2, 3"""
        ).fetchall()
        assert ("R80", INFLUENZA, icpc2_concept_id("R80")) in [row[:3] for row in rows]
        assert all(concept == (INFLUENZA if code == "R80" else 0) for code, concept, _, _ in rows)
        assert all(source == icpc2_concept_id(code) for code, _, source, _ in rows)

"""Local times across the autumn change of time: an encounter spanning the repeated hour keeps
an end not before its start, as OMOP requires (found on a national year: 98 visits)."""

from datetime import date
from pathlib import Path

import psycopg
import pytest

from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.loader import ensure_raw_tables, load_delivery
from contact_platform.synthetic.generator import GeneratorSpec, generate
from tests.conftest import TEST_KEY, run_dbt

pytestmark = pytest.mark.slow

# The night clocks go back in France (03:00 CEST -> 02:00 CET, 01:00 UTC).
AUTUMN_NIGHT = GeneratorSpec(
    start=date(2025, 10, 25), days=2, scale=1.0, associations=("paris", "lyon", "marseille")
)


def test_encounters_spanning_the_autumn_change_end_after_they_start(
    empty_warehouse, tmp_path: Path
):
    generate(AUTUMN_NIGHT, tmp_path / "deliveries", workers=1)
    with psycopg.connect(empty_warehouse, autocommit=True) as conn:
        ensure_raw_tables(conn)
        for delivery in ready_deliveries(tmp_path / "deliveries"):
            load_delivery(conn, delivery, TEST_KEY)
        run_dbt(empty_warehouse, ["+stg_encounters"], tmp_path / "target")
        spanning, backwards = conn.execute(
            """SELECT count(*) FILTER (WHERE started_at < '2025-10-26 01:00Z'
                                         AND ended_at > '2025-10-26 01:00Z'
                                         AND (ended_at at time zone 'Europe/Paris')
                                             < (started_at at time zone 'Europe/Paris')),
                      count(*) FILTER (WHERE ended_local_at < started_local_at)
               FROM staging.stg_encounters WHERE association_id <> 'la-reunion'"""
        ).fetchone()
    assert spanning > 0, "the night holds encounters that run backwards in local time"
    assert backwards == 0

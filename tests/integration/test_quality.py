"""Great Expectations suites run on real tables, pushed down to SQL."""

from pathlib import Path

import psycopg

from contact_platform.contract import ENTITIES
from contact_platform.ingest.deliveries import parse_delivery
from contact_platform.ingest.loader import ensure_raw_tables, load_delivery
from contact_platform.quality.suites import suite_from_contract
from contact_platform.quality.validation import validate_table
from contact_platform.synthetic.extract import ExtractSpec, generate_extract
from tests.conftest import TEST_KEY

ENCOUNTER_SUITE = suite_from_contract(ENTITIES["encounters"])


def _load(url: str, folder: Path, spec: ExtractSpec) -> None:
    with psycopg.connect(url) as conn:
        ensure_raw_tables(conn)
        for path in generate_extract(spec, folder):
            load_delivery(conn, parse_delivery(path), TEST_KEY)


def test_clean_extract_passes_every_expectation(empty_warehouse: str, tmp_path: Path):
    _load(empty_warehouse, tmp_path, ExtractSpec(days=2))
    for name, entity in ENTITIES.items():
        outcome = validate_table(empty_warehouse, "raw", name, suite_from_contract(entity))
        assert outcome.success, [f.describe() for f in outcome.failed]
        assert outcome.success_percent == 100.0


def test_invalid_icpc2_fails_and_names_the_expectation(empty_warehouse: str, tmp_path: Path):
    _load(empty_warehouse, tmp_path, ExtractSpec(days=1, defects=("invalid_icpc2",)))
    outcome = validate_table(empty_warehouse, "raw", "encounters", ENCOUNTER_SUITE)
    assert not outcome.success
    [failure] = outcome.failed
    assert failure.expectation == "expect_column_values_to_be_in_set"
    assert failure.column == "diagnosis_icpc2"
    assert failure.sample_values and set(failure.sample_values) == {"Q99"}
    assert "diagnosis_icpc2" in failure.describe()


def test_time_order_is_checked(empty_warehouse: str, tmp_path: Path):
    _load(empty_warehouse, tmp_path, ExtractSpec(days=1))
    with psycopg.connect(empty_warehouse) as conn:
        conn.execute(
            "UPDATE raw.encounters SET ended_at = started_at - interval '1 hour' "
            "WHERE source_line = 2"
        )
    outcome = validate_table(empty_warehouse, "raw", "encounters", ENCOUNTER_SUITE)
    assert [f.expectation for f in outcome.failed] == [
        "expect_column_pair_values_a_to_be_greater_than_b"
    ]
    assert outcome.failed[0].sample_values == ()


def test_an_empty_table_fails(empty_warehouse: str):
    with psycopg.connect(empty_warehouse) as conn:
        ensure_raw_tables(conn)
    outcome = validate_table(
        empty_warehouse, "raw", "calls", suite_from_contract(ENTITIES["calls"])
    )
    assert "expect_table_row_count_to_be_between" in {f.expectation for f in outcome.failed}

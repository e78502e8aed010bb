"""Great Expectations suites run on real tables, pushed down to SQL."""

from datetime import date
from pathlib import Path

import psycopg
import pytest

from contact_platform.contract import ENTITIES
from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.loader import ensure_raw_tables, load_delivery
from contact_platform.quality.suites.raw import raw_suite
from contact_platform.quality.validation import validate_table
from contact_platform.synthetic.generator import GeneratorSpec, generate
from tests.conftest import TEST_KEY

SPEC = GeneratorSpec(start=date(2025, 1, 6), days=2, scale=0.05, associations=("paris", "lyon"))


def _load(url: str, folder: Path, spec: GeneratorSpec) -> None:
    generate(spec, folder, workers=1)
    with psycopg.connect(url) as conn:
        ensure_raw_tables(conn)
        for delivery in ready_deliveries(folder):
            load_delivery(conn, delivery, TEST_KEY)


def _validate(url: str, entity: str):
    return validate_table(url, "raw", entity, raw_suite(ENTITIES[entity]))


def test_clean_deliveries_pass_every_expectation(empty_warehouse: str, tmp_path: Path):
    _load(empty_warehouse, tmp_path, SPEC)
    for name in ENTITIES:
        outcome = _validate(empty_warehouse, name)
        assert outcome.success, (name, [f.describe() for f in outcome.failed])
        assert outcome.success_percent == 100.0


@pytest.mark.parametrize(
    ("defect", "entity", "expectation", "column", "sample"),
    [
        ("unknown_icpc2", "diagnoses", "expect_column_values_to_be_in_set", "icpc2_code", "Q99"),
        ("implausible_vitals", "vital_signs", "expect_column_values_to_be_between", None, None),
        (
            "time_order",
            "encounters",
            "expect_column_pair_values_a_to_be_greater_than_b",
            None,
            None,
        ),
    ],
)
def test_a_planted_defect_fails_its_suite(
    empty_warehouse: str, tmp_path: Path, defect, entity, expectation, column, sample
):
    spec = GeneratorSpec(**{**SPEC.__dict__, "defects": (defect,), "defect_rate": 1.0})
    _load(empty_warehouse, tmp_path, spec)
    outcome = _validate(empty_warehouse, entity)
    assert not outcome.success
    assert expectation in {f.expectation for f in outcome.failed}
    if column:
        failure = next(f for f in outcome.failed if f.column == column)
        assert sample in failure.sample_values
        assert column in failure.describe()


def test_samples_never_show_free_text_or_pseudonyms(empty_warehouse: str, tmp_path: Path):
    _load(empty_warehouse, tmp_path, SPEC)
    with psycopg.connect(empty_warehouse) as conn:
        conn.execute(
            "UPDATE raw.calls SET patient_sex = 'X', call_reason_text = NULL WHERE source_line = 2"
        )
    outcome = _validate(empty_warehouse, "calls")
    [failure] = outcome.failed
    assert failure.column == "patient_sex" and set(failure.sample_values) == {"X"}


def test_an_empty_table_fails(empty_warehouse: str):
    with psycopg.connect(empty_warehouse) as conn:
        ensure_raw_tables(conn)
    outcome = _validate(empty_warehouse, "calls")
    assert "expect_table_row_count_to_be_between" in {f.expectation for f in outcome.failed}

"""Every defect kind of the generator's catalogue, through Dagster: the gate that catches it
fails and nothing downstream builds; what is not a defect of the data (a late or repeated
delivery) flows through."""

import dagster as dg
import psycopg
import pytest

from contact_platform.ingest.assets import association_deliveries
from contact_platform.operations.demo import DemoResult, run_demo
from contact_platform.synthetic.defects import DEFECTS
from contact_platform.synthetic.generator import GeneratorSpec
from contact_platform.transform.assets import staging_models

pytestmark = pytest.mark.slow

SPEC = GeneratorSpec(days=2, scale=0.02, associations=("paris",), seed=11)
RAW_AND_STAGING = dg.AssetSelection.assets(association_deliveries, staging_models)

# Defect kind -> (the failing check, words its description must hold).
CAUGHT_BY_A_SUITE = {
    "duplicate_rows": ("expectations_raw_calls", "one row per association_id, call_id"),
    "missing_mandatory": ("expectations_raw_delivery_files", "rejected_rows"),
    "invalid_nir_key": ("expectations_raw_calls", "patient_nir_status"),
    "unknown_icpc2": ("expectations_raw_diagnoses", "Q99"),
    "implausible_vitals": ("expectations_raw_vital_signs", "plausible range"),
    "time_order": ("expectations_raw_encounters", "ends after it starts"),
}
# Refused whole by the loader (quarantined with the reason) before any suite could see it.
REFUSED_AT_LOAD = {
    "latin1_file": "not valid utf-8",
    "truncated_file": "SHA-256",
}
# Delivery events the platform must handle, not defects of the data: they load and flow.
ACCEPTED = {"late_file", "redelivery"}


def test_every_defect_kind_has_its_gate():
    assert set(CAUGHT_BY_A_SUITE) | set(REFUSED_AT_LOAD) | ACCEPTED == set(DEFECTS)


def _run(settings, defect: str) -> DemoResult:
    spec = GeneratorSpec(**{**SPEC.__dict__, "defects": (defect,), "defect_rate": 1.0})
    return run_demo(settings, spec, RAW_AND_STAGING)


def _downstream(result: DemoResult) -> list[str]:
    return [key for key in result.materialised if not key.startswith("raw/")]


@pytest.fixture
def settings(empty_warehouse, warehouse_settings, monkeypatch):
    for name in ("DAGSTER_HOME", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"):
        monkeypatch.delenv(name, raising=False)
    return warehouse_settings


@pytest.mark.parametrize("defect", sorted(CAUGHT_BY_A_SUITE))
def test_a_row_defect_fails_its_suite_and_blocks_staging(settings, defect):
    check, words = CAUGHT_BY_A_SUITE[defect]

    result = _run(settings, defect)

    assert not result.success
    failed = {c.name: c for c in result.checks if not c.passed}
    assert check in failed, result.summary
    assert words in (failed[check].description or ""), failed[check].description
    assert _downstream(result) == [], "nothing downstream of a failing suite builds"
    metadata = failed[check].metadata
    assert 0 < metadata["success_percent"] < 100
    assert metadata["expectations_failed"] == len(metadata["failures"]) >= 1
    assert str(metadata["data_docs"]).startswith(settings.data_docs_url + "validations/")
    samples = {value for f in metadata["failures"] for value in f["sample_values"]}
    if defect == "invalid_nir_key":
        assert samples == {"invalid"}, "the NIR itself is never shown"


@pytest.mark.parametrize("defect", sorted(REFUSED_AT_LOAD))
def test_a_broken_file_is_refused_whole_and_blocks_staging(settings, defect):
    result = _run(settings, defect)

    assert not result.success
    assert _downstream(result) == []
    quarantined = list(settings.quarantine_dir.rglob("*.reason.txt")) or list(
        settings.quarantine_dir.rglob("*")
    )
    assert quarantined, "the refused delivery is kept in quarantine"
    reasons = " ".join(p.read_text() for p in quarantined if p.is_file() and p.suffix == ".txt")
    assert REFUSED_AT_LOAD[defect] in reasons


@pytest.mark.parametrize("defect", sorted(ACCEPTED))
def test_a_late_or_repeated_delivery_passes_every_suite_and_flows(
    settings, empty_warehouse, defect
):
    result = _run(settings, defect)

    assert result.success, result.summary
    assert all(c.passed for c in result.checks)
    assert "staging/stg_calls" in result.materialised
    with psycopg.connect(empty_warehouse) as conn:
        sequences = conn.execute("SELECT max(sequence) FROM raw.deliveries").fetchone()[0]
    if defect == "redelivery":
        assert sequences >= 2, "the re-delivery replaced the first one"

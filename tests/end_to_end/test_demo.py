"""The whole flow, as `contact demo` runs it: generate, ingest, check, dbt build, marts."""

import dagster as dg
import psycopg
import pytest

from contact_platform.contract import ENTITIES
from contact_platform.definitions import build_definitions
from contact_platform.operations.demo import run_demo
from contact_platform.quality.resource import QualityResource
from contact_platform.synthetic.generator import GeneratorSpec

pytestmark = pytest.mark.slow

SPEC = GeneratorSpec(days=3, scale=0.02, associations=("paris", "lyon", "la-reunion"))
OMOP_SNAPSHOT = {
    "person": "SELECT * FROM omop.person ORDER BY person_id",
    "visit_occurrence": "SELECT * FROM omop.visit_occurrence ORDER BY visit_occurrence_id",
}


@pytest.fixture
def demo_environment(monkeypatch, warehouse_settings):
    """run_demo points DAGSTER_HOME and PG* at the warehouse: restore them after the test."""
    for name in ("DAGSTER_HOME", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"):
        monkeypatch.delenv(name, raising=False)
    return warehouse_settings


def _snapshot(url: str) -> dict[str, list[tuple]]:
    with psycopg.connect(url) as conn:
        return {name: conn.execute(query).fetchall() for name, query in OMOP_SNAPSHOT.items()}


def test_demo_fills_omop_and_marts_then_blocks_a_broken_extract(empty_warehouse, demo_environment):
    settings = demo_environment
    clean = run_demo(settings, SPEC)

    assert clean.success, clean.summary
    assert all(check.passed for check in clean.checks), clean.summary
    graph = build_definitions(settings).resolve_asset_graph()
    assert len(clean.checks) == len(list(graph.asset_check_keys))
    assert {"omop/person", "omop/visit_occurrence", "marts/mart_daily_activity"} <= set(
        clean.materialised
    )
    counts = clean.row_counts
    assert counts["omop.visit_occurrence"] == counts["raw.calls"] + counts["raw.encounters"] > 0
    assert counts["omop.condition_occurrence"] > 0 and counts["omop.measurement"] > 0
    assert counts["omop.observation_period"] == counts["omop.person"]
    assert 0 < counts["omop.person"] < counts["raw.calls"] + counts["raw.encounters"]
    assert counts["marts.mart_daily_activity"] >= 3 * 3
    assert "Checks:" in clean.summary and "omop.person" in clean.summary
    index = QualityResource.from_settings(settings).data_docs().index.read_text()
    assert "omop_person" in index, "the demo leaves a Data Docs site listing its validations"
    before = _snapshot(empty_warehouse)

    broken = run_demo(
        settings,
        GeneratorSpec(
            **{**SPEC.__dict__, "seed": 7, "defects": ("unknown_icpc2",), "defect_rate": 1.0}
        ),
    )

    assert not broken.success
    failed = [check for check in broken.checks if not check.passed]
    assert [check.name for check in failed] == ["expectations_raw_diagnoses"]
    assert "icpc2_code" in (failed[0].description or "")
    assert "Q99" in (failed[0].description or "")
    assert "FAILED raw/diagnoses expectations_raw_diagnoses" in broken.summary
    assert set(broken.materialised) >= {f"raw/{name}" for name in ENTITIES}
    assert not [
        key
        for key in broken.materialised
        if key.split("/")[0] in ("staging", "intermediate", "omop", "marts")
    ], "nothing downstream ran"
    assert _snapshot(empty_warehouse) == before

    # The leak guard, run by Dagster, fails once an identifier reaches an analyst table.
    with psycopg.connect(empty_warehouse) as conn:
        conn.execute(
            "UPDATE omop.person SET person_source_value = 'tel 06 12 34 56 78' "
            "WHERE person_id = (SELECT min(person_id) FROM omop.person)"
        )
    check = dg.AssetCheckKey(dg.AssetKey(["omop", "person"]), "no_direct_identifiers")
    job = build_definitions(settings).resolve_implicit_global_asset_job_def()
    with dg.instance_for_test() as instance:
        result = job.get_subset(
            asset_selection=set(), asset_check_selection={check}
        ).execute_in_process(instance=instance, raise_on_error=False)
    [evaluation] = result.get_asset_check_evaluations()
    assert not evaluation.passed
    assert evaluation.description == "omop.person.person_source_value: 1 row(s) with a phone"

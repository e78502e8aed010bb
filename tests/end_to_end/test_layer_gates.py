"""A failing suite on a dbt layer blocks the later layers in the same run. The corruptions are
ones only the suites look for, on rows the incremental models keep, so it is the suite, not a
dbt test or a rebuild, that stops the run."""

import dagster as dg
import psycopg
import pytest

from contact_platform.operations.demo import materialise, run_demo
from contact_platform.synthetic.generator import GeneratorSpec
from contact_platform.transform.assets import mart_models, omop_models, staging_models

pytestmark = pytest.mark.slow

SPEC = GeneratorSpec(days=2, scale=0.02, associations=("paris", "lyon"), seed=5)

_AN_ENCOUNTER_BEFORE_ITS_CALL = """
UPDATE staging.stg_encounters SET started_at = started_at - interval '3 days'
WHERE encounter_key = (SELECT min(encounter_key) FROM staging.stg_encounters
                       WHERE call_key IS NOT NULL)
"""
_A_CONDITION_ENDING_BEFORE_IT_STARTS = """
UPDATE omop.condition_occurrence
SET condition_end_datetime = condition_start_datetime - interval '1 hour'
WHERE condition_occurrence_id = (SELECT min(condition_occurrence_id)
                                 FROM omop.condition_occurrence)
"""


@pytest.fixture
def built(empty_warehouse, warehouse_settings, monkeypatch):
    for name in ("DAGSTER_HOME", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"):
        monkeypatch.delenv(name, raising=False)
    clean = run_demo(warehouse_settings, SPEC)
    assert clean.success, clean.summary
    return warehouse_settings, empty_warehouse


def test_failing_suites_block_every_later_layer_and_name_their_rule(built):
    settings, url = built
    with psycopg.connect(url) as conn:
        assert conn.execute(_AN_ENCOUNTER_BEFORE_ITS_CALL).rowcount == 1

    result = materialise(
        settings, dg.AssetSelection.assets(staging_models, omop_models, mart_models)
    )

    assert not result.success
    assert [c.name for c in result.checks if not c.passed] == [
        "expectations_staging_stg_encounters"
    ], result.summary
    assert {key.split("/")[0] for key in result.materialised} == {"staging", "reference"}

    # OMOP tables are what analysts read (the marts come from staging): nothing is built after
    # them, and within the layer dbt's own blocking tests stop dbt build. Their suites fail
    # the run and say which rule broke.
    with psycopg.connect(url) as conn:
        assert conn.execute(_A_CONDITION_ENDING_BEFORE_IT_STARTS).rowcount == 1

    omop_run = materialise(settings, dg.AssetSelection.assets(omop_models))

    assert not omop_run.success
    [failed] = [c for c in omop_run.checks if not c.passed]
    assert failed.name == "expectations_omop_condition_occurrence"
    assert "condition_end_datetime is not before condition_start_datetime" in (
        failed.description or ""
    )

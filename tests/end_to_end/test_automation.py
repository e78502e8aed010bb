"""Under declarative automation, a model waits while a blocking suite of one of its parents
fails, and is requested once the suite passes."""

import dagster as dg

from contact_platform.definitions import defs
from contact_platform.ingest.partitions import DELIVERIES

GRAPH = defs.resolve_asset_graph()
STAGING = dg.AssetSelection.assets(
    *(k for k in GRAPH.get_all_asset_keys() if k.path[0] == "staging")
)
DIAGNOSES_SUITE = dg.AssetCheckKey(dg.AssetKey(["raw", "diagnoses"]), "expectations_raw_diagnoses")


def _evaluate(instance: dg.DagsterInstance, key: dg.AssetCheckKey, passed: bool) -> None:
    instance.report_runless_asset_event(
        dg.AssetCheckEvaluation(
            asset_key=key.asset_key,
            check_name=key.name,
            passed=passed,
            severity=dg.AssetCheckSeverity.ERROR,
        )
    )


def _requested(result, name: str) -> int:
    return result.get_num_requested(dg.AssetKey(["staging", name]))


def test_staging_waits_for_the_suites_of_its_raw_tables():
    with dg.instance_for_test() as instance:
        tick = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, asset_selection=STAGING
        )
        # A delivery lands: every raw table and the reference seeds are materialised...
        instance.add_dynamic_partitions(DELIVERIES.name, ["paris_20250106"])
        for key in GRAPH.get_all_asset_keys():
            if key.path[0] == "reference":
                instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key))
            elif key.path[0] == "raw":
                instance.report_runless_asset_event(
                    dg.AssetMaterialization(asset_key=key, partition="paris_20250106")
                )
        # ...every check upstream of staging passes but the diagnoses suite.
        for key in GRAPH.asset_check_keys:
            if key.asset_key.path[0] in ("raw", "reference"):
                _evaluate(instance, key, passed=key != DIAGNOSES_SUITE)

        tick = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, asset_selection=STAGING, cursor=tick.cursor
        )
        assert _requested(tick, "stg_diagnoses") == 0
        assert _requested(tick, "stg_calls") == 1, "the other entities are not held back"

        _evaluate(instance, DIAGNOSES_SUITE, passed=True)
        tick = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, asset_selection=STAGING, cursor=tick.cursor
        )
        assert _requested(tick, "stg_diagnoses") == 1

"""dbt models as Dagster assets, dbt tests as their asset checks."""

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from contact_platform.quality.window import RECENT_WINDOW_DAYS
from contact_platform.transform.project import DBT_PROJECT, ensure_manifest
from contact_platform.warehouse.connection import export_libpq_environment
from contact_platform.warehouse.lock import exclusive
from contact_platform.warehouse.resource import WarehouseResource


class ContactDbtTranslator(DagsterDbtTranslator):
    """Keys by schema (`omop/person`), groups by layer, and automation that waits for every
    upstream blocking check to pass."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else None

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        if dbt_resource_props["resource_type"] == "seed":
            # Reference tables: built once when missing (a fresh warehouse), again when changed.
            return (
                dg.AutomationCondition.on_missing() | dg.AutomationCondition.code_version_changed()
            )
        return (
            dg.AutomationCondition.eager()
            & dg.AutomationCondition.all_deps_blocking_checks_passed()
        )


class DbtBuildConfig(dg.Config):
    """How much history the tests of this build read: the last `test_window_days` days of
    changes (dbt_project/macros/test_window.sql), or everything when it is None (the weekly
    full check)."""

    test_window_days: int | None = RECENT_WINDOW_DAYS


def dbt_build_args(config: DbtBuildConfig) -> list[str]:
    if config.test_window_days is None:
        return ["build"]
    return ["build", "--vars", json.dumps({"test_window_days": config.test_window_days})]


def _layer(name: str, select: str) -> dg.AssetsDefinition:
    """The dbt models of one layer as one step. Layers are separate steps so that the blocking
    checks of a layer (its Great Expectations suites) run before the next layer builds."""

    @dbt_assets(
        name=name,
        manifest=ensure_manifest(DBT_PROJECT),
        project=DBT_PROJECT,
        select=select,
        dagster_dbt_translator=ContactDbtTranslator(
            settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
        ),
    )
    def _models(
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        warehouse: WarehouseResource,
        config: DbtBuildConfig,
    ) -> Iterator[Any]:
        export_libpq_environment(warehouse.url())
        # A test runs with the models it tests, and with their ancestors already built: a
        # test between two models never reads a parent that is missing or not yet rebuilt.
        os.environ.setdefault("DBT_INDIRECT_SELECTION", "buildable")
        with exclusive(warehouse.url()):
            yield from dbt.cli(dbt_build_args(config), context=context).stream()

    return _models


# Reference seeds (staging reads them) and staging; then linkage, stable ids, OMOP and the
# operations report; then marts.
staging_models = _layer("staging_models", "resource_type:seed path:models/staging")
omop_models = _layer(
    "omop_models", "path:models/intermediate path:models/omop path:models/operations"
)
mart_models = _layer("mart_models", "path:models/marts")
DBT_LAYERS = (staging_models, omop_models, mart_models)

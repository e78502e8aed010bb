"""The one Definitions object of the CONTACT code location."""

import dagster as dg
from dagster_dbt import DbtCliResource

from contact_platform.contract import ENTITIES
from contact_platform.ingest.assets import RAW_ASSET_KEYS, association_deliveries
from contact_platform.ingest.loader import RAW_SCHEMA
from contact_platform.ingest.resource import LandingZoneResource
from contact_platform.privacy.resource import PseudonymisationResource
from contact_platform.quality.checks import suite_check
from contact_platform.quality.suites import suite_path
from contact_platform.settings import Settings
from contact_platform.transform.assets import contact_dbt_models
from contact_platform.transform.project import DBT_PROJECT, dbt_executable
from contact_platform.warehouse.resource import WarehouseResource


def build_definitions(settings: Settings) -> dg.Definitions:
    """Assets, checks and resources for the environment `settings` describes."""
    return dg.Definitions(
        assets=[association_deliveries, contact_dbt_models],
        asset_checks=[
            suite_check(RAW_ASSET_KEYS[name], RAW_SCHEMA, name, suite_path(entity))
            for name, entity in ENTITIES.items()
        ],
        resources={
            "warehouse": WarehouseResource.from_settings(settings),
            "landing_zone": LandingZoneResource.from_settings(settings),
            "pseudonymisation": PseudonymisationResource.from_settings(settings),
            "dbt": DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(dbt_executable())),
        },
    )


defs = build_definitions(Settings.from_env())

"""The one Definitions object of the CONTACT code location."""

import dagster as dg
from dagster_dbt import DbtCliResource

from contact_platform.ingest.assets import association_deliveries
from contact_platform.ingest.completeness import delivery_completeness_report
from contact_platform.ingest.resource import LandingZoneResource
from contact_platform.ingest.sensor import build_incoming_sensor
from contact_platform.privacy.assets import retention_job, retention_purge, retention_schedule
from contact_platform.privacy.resource import PseudonymisationResource
from contact_platform.quality.checks import SuiteScopeConfig, leak_guard_check, suite_check
from contact_platform.quality.leak_guard import ANALYST_SCHEMAS
from contact_platform.quality.resource import QualityResource
from contact_platform.quality.suites import stored_targets
from contact_platform.settings import Settings
from contact_platform.transform.assets import DBT_LAYERS, DbtBuildConfig
from contact_platform.transform.project import DBT_PROJECT, dbt_executable
from contact_platform.vocabulary.assets import omop_vocabulary
from contact_platform.warehouse.resource import WarehouseResource

RAW_ASSETS = dg.AssetSelection.assets(association_deliveries)  # all its keys: not subsettable
ANALYST_VISIBLE = sorted(
    (key for layer in DBT_LAYERS for key in layer.keys if key.path[0] in ANALYST_SCHEMAS),
    key=lambda key: key.to_user_string(),
)

# Materialises what the automation conditions ask for (dbt models after new raw data, once
# every upstream blocking check has passed); on by default so that a delivery reaches the
# marts without anyone clicking.
automation = dg.AutomationConditionSensorDefinition(
    "automation",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)


SUITE_CHECKS = [suite_check(target) for target in stored_targets()]

# Automation keeps staging, intermediate and OMOP current a few models at a time; once an hour
# everything dbt builds is rebuilt in one run, so that marts and cross-model tests always see
# a consistent whole (and a fresh warehouse bootstraps its reference seeds).
transform_job = dg.define_asset_job(
    "transform",
    selection=dg.AssetSelection.assets(*DBT_LAYERS, delivery_completeness_report),
)
transform_schedule = dg.ScheduleDefinition(
    job=transform_job,
    cron_schedule="5 * * * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

# Routine builds and suites test recent changes only; once a week every dbt test and every
# suite (raw and vocabulary included) reads all history.
full_check_job = dg.define_asset_job(
    "full_check",
    selection=dg.AssetSelection.assets(*DBT_LAYERS) | dg.AssetSelection.checks(*SUITE_CHECKS),
    config=dg.RunConfig(
        ops={
            **{layer.op.name: DbtBuildConfig(test_window_days=None) for layer in DBT_LAYERS},
            **{check.node_def.name: SuiteScopeConfig(window_days=None) for check in SUITE_CHECKS},
        }
    ),
)
full_check_schedule = dg.ScheduleDefinition(
    job=full_check_job,
    cron_schedule="30 3 * * 0",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


def build_definitions(settings: Settings) -> dg.Definitions:
    """Assets, checks, sensors and resources for the environment `settings` describes."""
    return dg.Definitions(
        assets=[
            association_deliveries,
            omop_vocabulary,
            *DBT_LAYERS,
            delivery_completeness_report,
            retention_purge,
        ],
        jobs=[retention_job, transform_job, full_check_job],
        # One machine, short steps: running them in the run's process saves the start-up of a
        # subprocess per step (seconds each), which is most of a small delivery's latency.
        executor=dg.in_process_executor,
        schedules=[retention_schedule, transform_schedule, full_check_schedule],
        asset_checks=[
            *SUITE_CHECKS,
            leak_guard_check(ANALYST_VISIBLE),
        ],
        sensors=[build_incoming_sensor(RAW_ASSETS), automation],
        resources={
            "warehouse": WarehouseResource.from_settings(settings),
            "landing_zone": LandingZoneResource.from_settings(settings),
            "pseudonymisation": PseudonymisationResource.from_settings(settings),
            "quality": QualityResource.from_settings(settings),
            "dbt": DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(dbt_executable())),
        },
    )


defs = build_definitions(Settings.from_env())

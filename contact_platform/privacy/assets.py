"""Dagster side of privacy: the scheduled retention purge."""

from datetime import UTC, datetime

import dagster as dg
import psycopg

from contact_platform.privacy.retention import cutoff, purge_older_than
from contact_platform.warehouse.resource import WarehouseResource


class RetentionConfig(dg.Config):
    years: int = 20


@dg.asset(
    group_name="privacy",
    description="Deletes every raw record older than the retention period (20 years by "
    "default), with its details; audited.",
    kinds={"postgres"},
)
def retention_purge(config: RetentionConfig, warehouse: WarehouseResource) -> dg.MaterializeResult:
    oldest_kept = cutoff(datetime.now(UTC), config.years)
    with psycopg.connect(warehouse.url()) as conn:
        purged = purge_older_than(conn, oldest_kept)
    return dg.MaterializeResult(
        metadata={
            "oldest_kept": oldest_kept.isoformat(),
            "retention_years": config.years,
            **{f"{table}_purged": rows for table, rows in purged.items()},
        }
    )


retention_job = dg.define_asset_job("retention", selection=[retention_purge])
retention_schedule = dg.ScheduleDefinition(
    job=retention_job,
    cron_schedule="30 3 * * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

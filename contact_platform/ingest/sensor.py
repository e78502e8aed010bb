"""The landing sensor: every new manifest in incoming/ becomes a partition and a run.

The cursor remembers the manifests already handed to a run, so a tick does not request them
again; a manifest that has left incoming/ (archived or quarantined) is forgotten. The run key
is the manifest's name and modification time: two ticks racing on the same file request one
run, and a delivery dropped again later gets a new one.
"""

import json
from pathlib import Path

import dagster as dg

from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.partitions import DELIVERIES
from contact_platform.ingest.resource import LandingZoneResource

TICK_SECONDS = 15  # with the run queue and dbt automation, a delivery is staged within a minute


def build_incoming_sensor(asset_selection: dg.AssetSelection) -> dg.SensorDefinition:
    @dg.sensor(
        name="incoming_deliveries",
        asset_selection=asset_selection,
        minimum_interval_seconds=TICK_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Registers each delivery whose manifest arrived in incoming/ and loads it.",
    )
    def incoming_deliveries(
        context: dg.SensorEvaluationContext, landing_zone: LandingZoneResource
    ) -> dg.SensorResult:
        handled = set(json.loads(context.cursor or "[]"))
        ready = {}
        for delivery in ready_deliveries(landing_zone.incoming):
            try:
                ready[_run_key(delivery.manifest)] = delivery
            except FileNotFoundError:  # taken by a run between listing and stat
                continue
        fresh = {run_key: d for run_key, d in ready.items() if run_key not in handled}
        keys = sorted({d.name.delivery_id for d in fresh.values()})
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(run_key=run_key, partition_key=d.name.delivery_id)
                for run_key, d in fresh.items()
            ],
            dynamic_partitions_requests=[DELIVERIES.build_add_request(keys)] if keys else [],
            cursor=json.dumps(sorted(ready)),
        )

    return incoming_deliveries


def _run_key(manifest: Path) -> str:
    return f"{manifest.name}@{manifest.stat().st_mtime_ns}"

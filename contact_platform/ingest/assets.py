"""Dagster assets of ingestion: the deliveries of the requested partitions, into the raw schema."""

from collections import Counter
from collections.abc import Iterator

import dagster as dg
import psycopg

from contact_platform.contract import ENTITIES
from contact_platform.ingest.landing import (
    ReadyDelivery,
    archive,
    archived_delivery,
    quarantine,
    ready_deliveries,
    unrecognised_files,
)
from contact_platform.ingest.loader import RAW_SCHEMA
from contact_platform.ingest.parallel import load_deliveries
from contact_platform.ingest.partitions import DELIVERIES
from contact_platform.ingest.resource import LandingZoneResource
from contact_platform.privacy.resource import PseudonymisationResource
from contact_platform.warehouse.resource import WarehouseResource

RAW_ASSET_KEYS = {name: dg.AssetKey([RAW_SCHEMA, name]) for name in ENTITIES}
# Bookkeeping tables the loader writes in the same transaction; dbt reads them as sources.
LINEAGE_ASSET_KEYS = {
    "deliveries": "Loaded deliveries: association, period, sequence, manifest facts.",
    "delivery_files": "Files of each loaded delivery: SHA-256, rows loaded, rejected, opposed.",
    "rejects": "Rows that could not be typed: file, line, column, value class, reason.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            group_name="ingest",
            description=f"Raw {name}: {ENTITIES[name].description} Pseudonymised and scrubbed "
            "at ingestion; one transaction per delivery.",
            kinds={"postgres"},
        )
        for name, key in RAW_ASSET_KEYS.items()
    ]
    + [
        dg.AssetSpec([RAW_SCHEMA, name], group_name="ingest", description=text, kinds={"postgres"})
        for name, text in LINEAGE_ASSET_KEYS.items()
    ],
    partitions_def=DELIVERIES,
    # A backfill of many deliveries runs as one run, spread over one loader process per core.
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def association_deliveries(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    landing_zone: LandingZoneResource,
    pseudonymisation: PseudonymisationResource,
) -> Iterator[dg.MaterializeResult]:
    """Load the deliveries of the run's partitions: from incoming/ when they have just arrived
    (then archived, or quarantined with their reason), from archive/ when re-materialised. The
    run fails naming every refused delivery."""
    key = pseudonymisation.secret()
    wanted = set(context.partition_keys)
    loaded_rows: Counter[str] = Counter()
    rejected_rows: Counter[str] = Counter()
    done: Counter[str] = Counter()
    refused = _quarantine_unrecognised(landing_zone)
    arrived = [d for d in ready_deliveries(landing_zone.incoming) if d.name.delivery_id in wanted]
    url = warehouse.url()
    archived = _archived(landing_zone, wanted - {d.name.delivery_id for d in arrived})
    for outcome in load_deliveries(url, [*arrived, *archived], key, landing_zone.load_workers):
        delivery, result = outcome.delivery, outcome.result
        from_incoming = delivery.manifest.is_relative_to(landing_zone.incoming)
        if result is None:
            if from_incoming:
                quarantine(delivery.paths, landing_zone.quarantine, str(outcome.refusal))
            refused.append(str(outcome.refusal))
            context.log.error(f"refused delivery {delivery.name.stem}: {outcome.refusal}")
            continue
        if from_incoming:
            archive(delivery.paths, landing_zone.archive, delivery.name.association_id)
        loaded_rows.update(result.rows)
        rejected_rows.update(result.rejected)
        fresh = "loaded" if from_incoming else "reloaded from archive"
        done["already loaded" if result.skipped else fresh] += 1
    with psycopg.connect(url) as conn:
        totals = {
            name: conn.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{name}").fetchone()[0]
            for name in RAW_ASSET_KEYS
        }
    context.log.info(f"deliveries: {dict(done)}, refused: {len(refused)}")
    for name, asset_key in RAW_ASSET_KEYS.items():
        yield dg.MaterializeResult(
            asset_key=asset_key,
            metadata={
                "deliveries": dict(done),
                "rows_loaded": loaded_rows[name],
                "rows_rejected": rejected_rows[name],
                "dagster/row_count": totals[name],
                "deliveries_quarantined": len(refused),
            },
        )
    for name in LINEAGE_ASSET_KEYS:
        yield dg.MaterializeResult(asset_key=dg.AssetKey([RAW_SCHEMA, name]))
    if refused:
        raise dg.Failure(description=f"{len(refused)} quarantined:\n" + "\n".join(refused))


def _quarantine_unrecognised(landing_zone: LandingZoneResource) -> list[str]:
    refused = []
    for path in unrecognised_files(landing_zone.incoming):
        reason = f"{path.name}: name is not one the extract contract defines"
        quarantine((path,), landing_zone.quarantine, reason)
        refused.append(reason)
    return refused


def _archived(landing_zone: LandingZoneResource, delivery_ids: set[str]) -> list[ReadyDelivery]:
    found = (archived_delivery(landing_zone.archive, key) for key in sorted(delivery_ids))
    return [delivery for delivery in found if delivery is not None]

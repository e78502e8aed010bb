"""Dagster assets of ingestion: the deliveries of the requested partitions, into the raw schema."""

from collections import Counter
from collections.abc import Iterator

import dagster as dg
import psycopg

from contact_platform.contract import ENTITIES
from contact_platform.contract.delivery import DeliveryNameError
from contact_platform.contract.reader import ContractViolation
from contact_platform.ingest.landing import (
    ReadyDelivery,
    archive,
    archived_delivery,
    quarantine,
    ready_deliveries,
    unrecognised_files,
)
from contact_platform.ingest.loader import (
    RAW_SCHEMA,
    DeliveryRefused,
    ensure_raw_tables,
    load_delivery,
)
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
_REFUSALS = (ContractViolation, DeliveryRefused, DeliveryNameError)


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
    # A backfill of many deliveries runs as one run: one connection, no per-run start-up.
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
    outcome: Counter[str] = Counter()
    refused = _quarantine_unrecognised(landing_zone)
    arrived = [d for d in ready_deliveries(landing_zone.incoming) if d.name.delivery_id in wanted]
    with psycopg.connect(warehouse.url()) as conn:
        ensure_raw_tables(conn)
        for delivery in arrived:
            try:
                result = load_delivery(conn, delivery, key)
            except _REFUSALS as error:
                quarantine(delivery.paths, landing_zone.quarantine, str(error))
                refused.append(str(error))
                context.log.error(f"quarantined delivery {delivery.name.stem}: {error}")
                continue
            archive(delivery.paths, landing_zone.archive, delivery.name.association_id)
            loaded_rows.update(result.rows)
            rejected_rows.update(result.rejected)
            outcome["already loaded" if result.skipped else "loaded"] += 1
        for delivery in _archived(landing_zone, wanted - {d.name.delivery_id for d in arrived}):
            result = load_delivery(conn, delivery, key)
            loaded_rows.update(result.rows)
            outcome["already loaded" if result.skipped else "reloaded from archive"] += 1
        totals = {
            name: conn.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{name}").fetchone()[0]
            for name in RAW_ASSET_KEYS
        }
    context.log.info(f"deliveries: {dict(outcome)}, quarantined: {len(refused)}")
    for name, asset_key in RAW_ASSET_KEYS.items():
        yield dg.MaterializeResult(
            asset_key=asset_key,
            metadata={
                "deliveries": dict(outcome),
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

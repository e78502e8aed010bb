"""Dagster assets of ingestion: every delivery waiting in incoming/ loaded into the raw schema."""

from collections import Counter
from collections.abc import Iterator

import dagster as dg
import psycopg

from contact_platform.contract import ENTITIES
from contact_platform.contract.delivery import DeliveryNameError
from contact_platform.contract.reader import ContractViolation
from contact_platform.ingest.landing import (
    archive,
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
from contact_platform.ingest.resource import LandingZoneResource
from contact_platform.privacy.resource import PseudonymisationResource
from contact_platform.warehouse.resource import WarehouseResource

RAW_ASSET_KEYS = {name: dg.AssetKey([RAW_SCHEMA, name]) for name in ENTITIES}
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
    ],
)
def association_deliveries(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    landing_zone: LandingZoneResource,
    pseudonymisation: PseudonymisationResource,
) -> Iterator[dg.MaterializeResult]:
    """Load every delivery whose manifest is in incoming/: loaded deliveries go to archive/,
    refused ones to quarantine/ with their reason, and the run fails naming each of them."""
    key = pseudonymisation.secret()
    loaded_rows: Counter[str] = Counter()
    loaded, skipped = 0, 0
    refused: list[str] = []
    for path in unrecognised_files(landing_zone.incoming):
        reason = f"{path.name}: name is not one the extract contract defines"
        quarantine((path,), landing_zone.quarantine, reason)
        refused.append(reason)
    with psycopg.connect(warehouse.url()) as conn:
        ensure_raw_tables(conn)
        for delivery in ready_deliveries(landing_zone.incoming):
            try:
                result = load_delivery(conn, delivery, key)
            except _REFUSALS as error:
                quarantine(delivery.paths, landing_zone.quarantine, str(error))
                refused.append(str(error))
                context.log.error(f"quarantined delivery {delivery.name.stem}: {error}")
                continue
            archive(delivery.paths, landing_zone.archive, delivery.name.association_id)
            loaded_rows.update(result.rows)
            loaded, skipped = loaded + (not result.skipped), skipped + result.skipped
        totals = {
            name: conn.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{name}").fetchone()[0]
            for name in RAW_ASSET_KEYS
        }
    context.log.info(
        f"{loaded} deliveries loaded, {skipped} already loaded, {len(refused)} quarantined"
    )
    for name, asset_key in RAW_ASSET_KEYS.items():
        yield dg.MaterializeResult(
            asset_key=asset_key,
            metadata={
                "deliveries_loaded": loaded,
                "rows_loaded": loaded_rows[name],
                "dagster/row_count": totals[name],
                "deliveries_quarantined": len(refused),
            },
        )
    if refused:
        raise dg.Failure(description=f"{len(refused)} quarantined:\n" + "\n".join(refused))

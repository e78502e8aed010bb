"""Dagster assets of ingestion: every delivery waiting in incoming/ loaded into the raw schema."""

from collections import Counter
from collections.abc import Iterator

import dagster as dg
import psycopg

from contact_platform.contract import ENTITIES
from contact_platform.contract.reader import ContractViolation
from contact_platform.ingest.deliveries import parse_delivery
from contact_platform.ingest.landing import archive, incoming_files, quarantine
from contact_platform.ingest.loader import RAW_SCHEMA, ensure_raw_tables, load_delivery
from contact_platform.ingest.resource import LandingZoneResource
from contact_platform.privacy.resource import PseudonymisationResource
from contact_platform.warehouse.resource import WarehouseResource

RAW_ASSET_KEYS = {name: dg.AssetKey([RAW_SCHEMA, name]) for name in ENTITIES}


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
    """Load every file in incoming/: loaded files go to archive/, refused ones to quarantine/
    with their reason, and the run fails naming each refused file."""
    key = pseudonymisation.secret()
    loaded_rows: Counter[str] = Counter()
    deliveries: Counter[str] = Counter()
    refused: list[str] = []
    with psycopg.connect(warehouse.url()) as conn:
        ensure_raw_tables(conn)
        for path in incoming_files(landing_zone.incoming):
            try:
                result = load_delivery(conn, parse_delivery(path), key)
            except (ContractViolation, ValueError) as error:
                quarantine(path, landing_zone.quarantine, str(error))
                refused.append(str(error))
                context.log.error(f"quarantined {path.name}: {error}")
                continue
            archive(path, landing_zone.archive)
            loaded_rows[result.entity] += result.rows
            deliveries[result.entity] += 1
            context.log.info(f"loaded {result.delivery_id}: {result.rows} rows")
        totals = {
            name: conn.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{name}").fetchone()[0]
            for name in RAW_ASSET_KEYS
        }
    for name, asset_key in RAW_ASSET_KEYS.items():
        yield dg.MaterializeResult(
            asset_key=asset_key,
            metadata={
                "deliveries_loaded": deliveries[name],
                "rows_loaded": loaded_rows[name],
                "dagster/row_count": totals[name],
                "files_quarantined": len(refused),
            },
        )
    if refused:
        raise dg.Failure(
            description=f"{len(refused)} file(s) quarantined:\n" + "\n".join(refused),
        )

"""Retention: records older than the period leave raw, with their details; audited."""

from datetime import UTC, date, datetime

import dagster as dg
import psycopg

from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.loader import ensure_raw_tables, load_delivery
from contact_platform.privacy.assets import RetentionConfig, retention_purge
from contact_platform.privacy.retention import cutoff
from contact_platform.synthetic.generator import GeneratorSpec, generate
from contact_platform.warehouse.resource import WarehouseResource
from tests.conftest import TEST_KEY


def test_cutoff_handles_leap_days():
    assert cutoff(datetime(2044, 2, 29, tzinfo=UTC), 20) == datetime(2024, 2, 29, tzinfo=UTC)
    assert cutoff(datetime(2045, 2, 28, tzinfo=UTC), 21) == datetime(2024, 2, 28, tzinfo=UTC)
    assert cutoff(datetime(2044, 2, 29, tzinfo=UTC), 21) == datetime(2023, 2, 28, tzinfo=UTC)


def test_old_records_and_their_details_are_purged(empty_warehouse, warehouse_settings, tmp_path):
    generate(
        GeneratorSpec(start=date(2025, 1, 6), days=2, scale=0.05, associations=("paris",)),
        tmp_path,
        workers=1,
    )
    with psycopg.connect(empty_warehouse) as conn:
        ensure_raw_tables(conn)
        for delivery in ready_deliveries(tmp_path):
            load_delivery(conn, delivery, TEST_KEY)
        # The first day's records become 21 years old.
        conn.execute(
            "UPDATE raw.calls SET received_at = received_at - interval '21 years' "
            "WHERE delivery_id = 'paris_20250106'"
        )
        conn.execute(
            "UPDATE raw.encounters SET started_at = started_at - interval '21 years', "
            "ended_at = ended_at - interval '21 years' "
            "WHERE delivery_id = 'paris_20250106'"
        )
        conn.commit()
        kept = {
            t: conn.execute(
                f"SELECT count(*) FROM raw.{t} WHERE delivery_id = 'paris_20250107'"
            ).fetchone()[0]
            for t in ("calls", "encounters", "diagnoses")
        }

    result = dg.materialize(
        [retention_purge],
        resources={"warehouse": WarehouseResource.from_settings(warehouse_settings)},
        run_config=dg.RunConfig({"retention_purge": RetentionConfig(years=20)}),
    )
    assert result.success
    metadata = result.asset_materializations_for_node("retention_purge")[0].metadata
    assert metadata["calls_purged"].value > 0 and metadata["diagnoses_purged"].value > 0

    with psycopg.connect(empty_warehouse) as conn:
        for table, rows in kept.items():
            assert conn.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0] == rows
        action, detail = conn.execute(
            "SELECT action, detail FROM audit.events ORDER BY event_id DESC LIMIT 1"
        ).fetchone()
    assert action == "retention.purge" and detail["calls"] == metadata["calls_purged"].value

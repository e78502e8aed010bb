"""Completeness of deliveries, shown where data engineers look: metadata in the Dagster UI.

The figures come from the dbt model ops_delivery_completeness; this asset only reads them.
"""

import dagster as dg
import psycopg

from contact_platform.warehouse.resource import WarehouseResource

COMPLETENESS_MODEL = dg.AssetKey(["operations", "ops_delivery_completeness"])

_SUMMARY = """
SELECT count(*), sum(deliveries_received), count(*) FILTER (WHERE is_missing),
       count(*) FILTER (WHERE is_late), count(*) FILTER (WHERE latest_sequence > 1),
       coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0)
FROM operations.ops_delivery_completeness
"""
_WORST = """
SELECT association_id, count(*) FILTER (WHERE is_missing) AS missing,
       count(*) FILTER (WHERE is_late) AS late, sum(rows_rejected) AS rejected
FROM operations.ops_delivery_completeness
GROUP BY association_id
HAVING count(*) FILTER (WHERE is_missing OR is_late) > 0 OR sum(rows_rejected) > 0
ORDER BY missing DESC, late DESC, rejected DESC
LIMIT 10
"""


@dg.asset(
    deps=[COMPLETENESS_MODEL],
    group_name="operations",
    description="Deliveries expected, received, missing, late and re-delivered, and rows "
    "rejected, as metadata; the detail is in operations.ops_delivery_completeness.",
    automation_condition=dg.AutomationCondition.eager(),
)
def delivery_completeness_report(warehouse: WarehouseResource) -> dg.MaterializeResult:
    with psycopg.connect(warehouse.url()) as conn:
        days, received, missing, late, redelivered, loaded, rejected = conn.execute(
            _SUMMARY
        ).fetchone()
        worst = conn.execute(_WORST).fetchall()
    return dg.MaterializeResult(
        metadata={
            "association_days_expected": days,
            "deliveries_received": int(received or 0),
            "association_days_missing": missing,
            "association_days_late": late,
            "association_days_redelivered": redelivered,
            "rows_loaded": int(loaded),
            "rows_rejected": int(rejected),
            "associations_to_watch": dg.MetadataValue.md(
                "| association | days missing | days late | rows rejected |\n"
                "| --- | --- | --- | --- |\n"
                + "\n".join(f"| {a} | {m} | {la} | {r} |" for a, m, la, r in worst)
            ),
        }
    )

"""The blocking Dagster asset check that gates an asset on its expectation suite."""

from pathlib import Path

import dagster as dg

from contact_platform.quality.suites import load_suite
from contact_platform.quality.validation import validate_table
from contact_platform.warehouse.resource import WarehouseResource


def suite_check(
    asset_key: dg.AssetKey, schema: str, table: str, suite_file: Path
) -> dg.AssetChecksDefinition:
    """A blocking check running `suite_file` on `schema.table`: when it fails, nothing
    downstream of `asset_key` materialises."""
    suite = load_suite(suite_file)

    @dg.asset_check(
        asset=asset_key,
        name=f"expectations_{suite['name']}",
        blocking=True,
        description=f"Great Expectations suite {suite_file.name} on {schema}.{table}",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        outcome = validate_table(warehouse.url(), schema, table, suite)
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description="; ".join(f.describe() for f in outcome.failed) or None,
            metadata={
                "suite": suite["name"],
                "success_percent": outcome.success_percent,
                "expectations_evaluated": outcome.evaluated,
                "expectations_failed": len(outcome.failed),
                "failures": dg.MetadataValue.json(
                    [
                        {
                            "expectation": f.expectation,
                            "column": f.column,
                            "rule": f.rule,
                            "unexpected_count": f.unexpected_count,
                            "sample_values": [str(v) for v in f.sample_values],
                        }
                        for f in outcome.failed
                    ]
                ),
            },
        )

    return _check

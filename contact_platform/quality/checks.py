"""Blocking Dagster asset checks: an expectation suite on every table, the leak guard on what
analysts read."""

from collections.abc import Iterator

import dagster as dg

from contact_platform.ingest.resource import LandingZoneResource
from contact_platform.quality.leak_guard import restricted_names, scan
from contact_platform.quality.resource import QualityResource
from contact_platform.quality.suites import SuiteTarget
from contact_platform.quality.validation import validate_table
from contact_platform.quality.window import RECENT_WINDOW_DAYS
from contact_platform.warehouse.resource import WarehouseResource


class SuiteScopeConfig(dg.Config):
    """Which rows a suite reads: those that changed since it last passed and in the last
    `window_days` days (routine runs; quality/window.py), or every row when it is None (the
    weekly full check)."""

    window_days: int | None = RECENT_WINDOW_DAYS


def suite_check(target: SuiteTarget) -> dg.AssetChecksDefinition:
    """A blocking check running the stored suite of `target` on its table (the asset keyed
    schema/table), on the rows the run's scope says: when it fails, nothing downstream
    materialises."""
    suite = target.load()

    @dg.asset_check(
        asset=dg.AssetKey([target.schema, target.table]),
        name=f"expectations_{suite['name']}",
        blocking=True,
        description=f"Great Expectations suite expectations/{target.path.name} "
        f"on {target.schema}.{target.table}",
    )
    def _check(
        config: SuiteScopeConfig, warehouse: WarehouseResource, quality: QualityResource
    ) -> dg.AssetCheckResult:
        docs = quality.data_docs()
        outcome = validate_table(
            warehouse.url(), target.schema, target.table, suite, docs, config.window_days
        )
        page = docs.page_of(suite["name"])
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description="; ".join(f.describe() for f in outcome.failed) or None,
            metadata={
                "suite": suite["name"],
                "validated_rows": outcome.validated_rows,
                "success_percent": outcome.success_percent,
                "expectations_evaluated": outcome.evaluated,
                "expectations_failed": len(outcome.failed),
                "data_docs": dg.MetadataValue.url(docs.url_of(page) if page else docs.base_url),
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


def leak_guard_check(asset_keys: list[dg.AssetKey]) -> dg.AssetChecksDefinition:
    """One blocking check per analyst-visible asset: no NIR, phone number or email in it."""

    @dg.multi_asset_check(
        specs=[
            dg.AssetCheckSpec(
                "no_direct_identifiers",
                asset=key,
                blocking=True,
                description="Leak guard: no NIR with a valid key, phone number, email or "
                "patient surname.",
            )
            for key in asset_keys
        ],
        can_subset=True,
    )
    def leak_guard(
        context: dg.AssetCheckExecutionContext,
        warehouse: WarehouseResource,
        landing_zone: LandingZoneResource,
    ) -> Iterator[dg.AssetCheckResult]:
        findings = scan(warehouse.url(), names=restricted_names(landing_zone.archive))
        for check_key in context.selected_asset_check_keys:
            table = ".".join(check_key.asset_key.path)
            found = [f for f in findings if f.table == table]
            yield dg.AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=check_key.name,
                passed=not found,
                severity=dg.AssetCheckSeverity.ERROR,
                description="; ".join(f.describe() for f in found) or None,
                metadata={"findings": len(found)},
            )

    return leak_guard

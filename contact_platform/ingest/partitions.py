"""Deliveries as Dagster partitions.

One dynamic partition per delivery id (`<association>_<period>`): the unit that one transaction
loads and that a re-delivery replaces. Re-delivering a period re-materialises its partition, and
hourly and daily deliveries coexist. docs/ingestion.md gives the reasons for this choice.
"""

import dagster as dg

DELIVERIES = dg.DynamicPartitionsDefinition(name="deliveries")


def register(instance: dg.DagsterInstance, delivery_ids: list[str]) -> list[str]:
    """Add the partitions the instance does not know yet; return every key, in partition order."""
    known = set(instance.get_dynamic_partitions(DELIVERIES.name))
    new = sorted(set(delivery_ids) - known)
    if new:
        instance.add_dynamic_partitions(DELIVERIES.name, new)
    return instance.get_dynamic_partitions(DELIVERIES.name)


def whole_range_tags(keys: list[str]) -> dict[str, str]:
    """Run tags that make one run materialise every partition in `keys` (single-run backfill)."""
    return {
        "dagster/asset_partition_range_start": keys[0],
        "dagster/asset_partition_range_end": keys[-1],
    }

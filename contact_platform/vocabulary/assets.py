"""Dagster side of the vocabularies: the vocab tables as one asset the OMOP models depend on."""

import dagster as dg
import psycopg

from contact_platform.vocabulary.athena import ensure_vocabulary
from contact_platform.vocabulary.tables import VOCAB_SCHEMA, VOCABULARY_TABLES
from contact_platform.warehouse.resource import WarehouseResource

VOCABULARY_KEYS = {table: dg.AssetKey([VOCAB_SCHEMA, table]) for table in VOCABULARY_TABLES}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            group_name="vocabulary",
            kinds={"postgres"},
            description=f"OMOP vocabulary table {table}: the shipped demo subset until "
            "`contact vocab load-athena` loads a full Athena download; ICPC-2 and CONTACT "
            "codes as local concepts, mapped by `contact vocab import-usagi`.",
            automation_condition=dg.AutomationCondition.on_missing(),
        )
        for table, key in VOCABULARY_KEYS.items()
    ],
)
def omop_vocabulary(warehouse: WarehouseResource):
    """Create the vocab tables, load the shipped subset into an empty warehouse and register
    the local vocabularies from the ICPC-2 seed and the contract."""
    with psycopg.connect(warehouse.url()) as conn:
        shipped = ensure_vocabulary(conn)
        counts = dict(
            conn.execute(
                " UNION ALL ".join(
                    f"SELECT '{table}', count(*) FROM {VOCAB_SCHEMA}.{table}"
                    for table in VOCABULARY_TABLES
                )
            ).fetchall()
        )
        versions = dict(
            conn.execute(
                """SELECT vocabulary_id, vocabulary_version FROM vocab.vocabulary
                   WHERE vocabulary_id IN ('None', 'ICPC2', 'CONTACT')"""
            ).fetchall()
        )
    for table, key in VOCABULARY_KEYS.items():
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "rows": counts[table],
                "shipped_subset_loaded": shipped,
                "vocabulary_versions": dg.MetadataValue.json(versions),
            },
        )

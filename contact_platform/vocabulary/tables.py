"""The OMOP vocabulary tables, created from OHDSI's CDM 5.4 specification.

They live in their own schema (`vocab`), as OHDSI tools expect (`vocabDatabaseSchema`), and are
filled by Python, not dbt: a full Athena download is tens of millions of rows that no dbt build
should copy again.
"""

from __future__ import annotations

import psycopg

from contact_platform.transform.omop_spec import omop_fields

VOCAB_SCHEMA = "vocab"
VOCABULARY_TABLES = (
    "concept",
    "vocabulary",
    "domain",
    "concept_class",
    "concept_relationship",
    "relationship",
    "concept_synonym",
    "concept_ancestor",
    "drug_strength",
    "source_to_concept_map",
)
# Lookups the OMOP models and the loaders make, beyond the primary keys.
_INDEXES = (
    "concept (vocabulary_id, concept_code)",
    "concept_relationship (concept_id_1, relationship_id)",
    "concept_ancestor (descendant_concept_id)",
    "source_to_concept_map (source_vocabulary_id, source_code)",
)


def table_ddl(table: str) -> str:
    """CREATE TABLE of `table` with exactly the specification's columns, types and keys."""
    fields = omop_fields(table)
    columns = [
        f"{field.name} {field.data_type}{' NOT NULL' if field.required else ''}" for field in fields
    ]
    keys = [field.name for field in fields if field.primary_key]
    if keys:
        columns.append(f"PRIMARY KEY ({', '.join(keys)})")
    return (
        f"CREATE TABLE IF NOT EXISTS {VOCAB_SCHEMA}.{table} (\n    "
        + ",\n    ".join(columns)
        + "\n)"
    )


def ensure_vocabulary_tables(conn: psycopg.Connection) -> None:
    """Create the vocab schema and its tables when missing (idempotent)."""
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {VOCAB_SCHEMA}")
    for table in VOCABULARY_TABLES:
        conn.execute(table_ddl(table))
    for number, index in enumerate(_INDEXES):
        conn.execute(f"CREATE INDEX IF NOT EXISTS vocab_lookup_{number} ON {VOCAB_SCHEMA}.{index}")


def concept_count(conn: psycopg.Connection) -> int:
    return conn.execute(f"SELECT count(*) FROM {VOCAB_SCHEMA}.concept").fetchone()[0]

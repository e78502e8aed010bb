"""COPY of one delivery into its raw table, in one transaction.

The earlier load of the same delivery is deleted in the same transaction, so a re-delivery
replaces it atomically, and a file that breaks the contract halfway leaves no row behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from contact_platform.contract import ENTITIES, Entity
from contact_platform.contract.reader import read_extract
from contact_platform.ingest.deliveries import Delivery
from contact_platform.ingest.landing import sha256_of
from contact_platform.ingest.pseudonymise import raw_columns, raw_row

RAW_SCHEMA = "raw"
# Filled by PostgreSQL: the start of the load's transaction, the same for a whole delivery.
LOADED_AT_COLUMN = ("loaded_at", "timestamptz NOT NULL DEFAULT now()")

_DELIVERIES_DDL = """
CREATE TABLE IF NOT EXISTS raw.deliveries (
    delivery_id text PRIMARY KEY,
    association_id text NOT NULL,
    entity text NOT NULL,
    delivery_day date NOT NULL,
    file_name text NOT NULL,
    file_sha256 text NOT NULL,
    row_count integer NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True)
class LoadResult:
    delivery_id: str
    entity: str
    rows: int


def ensure_raw_tables(conn: psycopg.Connection) -> None:
    """Create the raw schema and one table per contract entity, if they do not exist."""
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    conn.execute(_DELIVERIES_DDL)
    for entity in ENTITIES.values():
        columns = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type))
            for name, pg_type in [*raw_columns(entity), LOADED_AT_COLUMN]
        )
        conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(_table(entity), columns))
        conn.execute(
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (delivery_id)").format(
                sql.Identifier(f"{entity.name}_delivery_id_idx"), _table(entity)
            )
        )
    conn.commit()


def load_delivery(conn: psycopg.Connection, delivery: Delivery, key: bytes) -> LoadResult:
    """Replace the rows of `delivery` with the content of its file, all or nothing."""
    entity = delivery.entity
    names = [name for name, _ in raw_columns(entity)]
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
        _table(entity), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    rows = 0
    with conn.transaction(), conn.cursor() as cursor:
        cursor.execute(
            sql.SQL("DELETE FROM {} WHERE delivery_id = %s").format(_table(entity)),
            (delivery.delivery_id,),
        )
        with cursor.copy(copy) as stream:
            for line, record in read_extract(delivery.path, entity):
                stream.write_row((delivery.delivery_id, line, *raw_row(entity, record, key)))
                rows += 1
        cursor.execute(
            """
            INSERT INTO raw.deliveries AS d (delivery_id, association_id, entity, delivery_day,
                                             file_name, file_sha256, row_count)
            VALUES (%s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (delivery_id) DO UPDATE SET
                file_name = excluded.file_name, file_sha256 = excluded.file_sha256,
                row_count = excluded.row_count, loaded_at = now()
            """,
            (
                delivery.delivery_id,
                delivery.association_id,
                entity.name,
                delivery.day,
                delivery.path.name,
                sha256_of(delivery.path),
                rows,
            ),
        )
    return LoadResult(delivery.delivery_id, entity.name, rows)


def _table(entity: Entity) -> sql.Composed:
    return sql.Identifier(RAW_SCHEMA, entity.name)

"""Loading one delivery into the raw schema: verified against its manifest, all entities in
one transaction, replacing any earlier sequence of the same association and period.

A file that breaks the contract (header, encoding, truncation, manifest mismatch) is refused
whole and leaves no row behind; a row that cannot be typed goes to raw.rejects (where and why,
never its value) and the rest of the delivery loads. A re-delivery replaces the earlier one
atomically (no duplicates, no gap), and an older sequence arriving after a newer one is refused
rather than loaded over it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from contact_platform.contract import ENTITIES, Entity
from contact_platform.contract.delivery import Manifest, parse_name
from contact_platform.contract.reader import RowProblem, read_extract
from contact_platform.ingest.landing import ReadyDelivery, sha256_of
from contact_platform.ingest.pseudonymise import (
    LINEAGE_COLUMNS,
    PATIENT_COLUMNS,
    raw_columns,
    raw_row_maker,
)
from contact_platform.privacy.opposition import KeptOut, ensure_privacy_tables
from contact_platform.warehouse.catalogue import column_names

RAW_SCHEMA = "raw"
# Filled by PostgreSQL: the start of the load's transaction, the same for a whole delivery.
LOADED_AT_COLUMN = ("loaded_at", "timestamptz NOT NULL DEFAULT now()")

_DELIVERIES_DDL = """
CREATE TABLE IF NOT EXISTS raw.deliveries (
    delivery_id text PRIMARY KEY,
    association_id text NOT NULL,
    period text NOT NULL,
    period_start timestamp NOT NULL,
    sequence integer NOT NULL,
    produced_at timestamptz NOT NULL,
    contract_version text NOT NULL,
    manifest_sha256 text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);
-- Warehouses created before changed_at existed.
ALTER TABLE raw.deliveries ADD COLUMN IF NOT EXISTS changed_at timestamptz NOT NULL DEFAULT now();
CREATE TABLE IF NOT EXISTS raw.delivery_files (
    delivery_id text NOT NULL REFERENCES raw.deliveries ON DELETE CASCADE,
    entity text NOT NULL,
    file_name text NOT NULL,
    file_sha256 text NOT NULL,
    row_count integer NOT NULL,
    rejected_rows integer NOT NULL DEFAULT 0,
    opposed_rows integer NOT NULL DEFAULT 0,
    PRIMARY KEY (delivery_id, entity)
);
CREATE TABLE IF NOT EXISTS raw.rejects (
    delivery_id text NOT NULL REFERENCES raw.deliveries ON DELETE CASCADE,
    entity text NOT NULL,
    file_name text NOT NULL,
    line integer NOT NULL,
    column_name text,
    value_class text NOT NULL,
    reason text NOT NULL,
    PRIMARY KEY (delivery_id, entity, line)
)
"""


# Any deletion of raw rows (a retention or objection purge, a re-delivery) stamps the deliveries
# they came from: incremental staging restages the records of every delivery whose stamp it has
# not seen, so rows deleted here leave staging at its next build.
_CHANGE_STAMP_DDL = """
CREATE OR REPLACE FUNCTION raw.stamp_changed_deliveries() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE raw.deliveries SET changed_at = clock_timestamp()
    WHERE delivery_id IN (SELECT DISTINCT delivery_id FROM deleted_rows);
    RETURN NULL;
END $$
"""


class DeliveryRefused(ValueError):
    """A delivery that cannot be loaded as it is; it is quarantined whole with this reason."""


@dataclass(frozen=True)
class LoadResult:
    delivery_id: str
    sequence: int
    rows: dict[str, int]
    rejected: dict[str, int] = field(default_factory=dict)
    opposed: dict[str, int] = field(default_factory=dict)
    skipped: bool = False  # the same delivery was already loaded


def ensure_raw_tables(conn: psycopg.Connection) -> None:
    """Create the raw schema and one table per contract entity, if they do not exist. Run once
    before loading: concurrent loaders must not race to create them."""
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    conn.execute(_DELIVERIES_DDL)
    conn.execute(_CHANGE_STAMP_DDL)
    ensure_privacy_tables(conn)  # the loader keeps opposed persons out
    for entity in ENTITIES.values():
        columns = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type))
            for name, pg_type in [*raw_columns(entity), LOADED_AT_COLUMN]
        )
        conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(_table(entity), columns))
        # Raw tables created by an earlier version get the columns added since (nullable);
        # looked up first, as ALTER TABLE would lock out readers even when there is nothing to add.
        present = column_names(conn, RAW_SCHEMA, entity.name)
        for name, pg_type in raw_columns(entity):
            if name in present:
                continue
            conn.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                    _table(entity),
                    sql.Identifier(name),
                    sql.SQL(pg_type.removesuffix(" NOT NULL")),
                )
            )
        conn.execute(
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (delivery_id)").format(
                sql.Identifier(f"{entity.name}_delivery_id_idx"), _table(entity)
            )
        )
        # Incremental staging looks records up by the unit it restages (a call, an encounter).
        conn.execute(
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (({}))").format(
                sql.Identifier(f"{entity.name}_staging_unit_idx"),
                _table(entity),
                staging_unit(entity),
            )
        )
        conn.execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER stamp_changed_deliveries AFTER DELETE ON {} "
                "REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT "
                "EXECUTE FUNCTION raw.stamp_changed_deliveries()"
            ).format(_table(entity))
        )
    conn.commit()


def staging_unit(entity: Entity) -> sql.Composed:
    """The key of what incremental staging restages together: a call, or an encounter with its
    details. The dbt macro `staging_unit` writes the same expression (so the index serves it)."""
    record = "call_id" if entity.name == "calls" else "encounter_id"
    return sql.SQL("association_id || ':' || {}").format(sql.Identifier(record))


def read_manifest(delivery: ReadyDelivery) -> Manifest:
    """The manifest, checked against the files that came with it."""
    try:
        manifest = Manifest.from_json(delivery.manifest.read_text(encoding="utf-8"))
    except (ValueError, TypeError, KeyError) as error:
        raise DeliveryRefused(f"{delivery.manifest.name}: unreadable manifest ({error})") from None
    if manifest.delivery != delivery.name:
        raise DeliveryRefused(f"{delivery.manifest.name}: manifest names another delivery")
    listed = {entry.name for entry in manifest.files}
    present = {path.name for path in delivery.files}
    if listed - present:
        raise DeliveryRefused(f"{delivery.manifest.name}: files missing {sorted(listed - present)}")
    if present - listed:
        raise DeliveryRefused(
            f"{delivery.manifest.name}: files not in the manifest {sorted(present - listed)}"
        )
    for entry in manifest.files:
        path = delivery.manifest.parent / entry.name
        entity = parse_name(entry.name)[1]
        if entity is None or entity.name != entry.entity:
            raise DeliveryRefused(f"{entry.name}: manifest says entity {entry.entity}")
        if sha256_of(path) != entry.sha256:
            raise DeliveryRefused(
                f"{entry.name}: SHA-256 differs from the manifest "
                "(file altered or truncated in transit)"
            )
    return manifest


def load_delivery(conn: psycopg.Connection, delivery: ReadyDelivery, key: bytes) -> LoadResult:
    """Load every file of `delivery` in one transaction, or nothing."""
    manifest = read_manifest(delivery)
    delivery_id = delivery.name.delivery_id
    manifest_sha = sha256_of(delivery.manifest)
    rows: dict[str, int] = {}
    rejected: dict[str, int] = {}
    opposed: dict[str, int] = {}
    with conn.transaction():
        kept_out = KeptOut.load(conn, manifest.association_id)
        # Serialises concurrent loads of the same association and period (racing sensor ticks).
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (delivery_id,))
        loaded = conn.execute(
            "SELECT sequence, manifest_sha256 FROM raw.deliveries WHERE delivery_id = %s",
            (delivery_id,),
        ).fetchone()
        if loaded and loaded[0] > manifest.sequence:
            raise DeliveryRefused(
                f"{delivery.manifest.name}: superseded, sequence {loaded[0]} "
                "of this period is already loaded"
            )
        if loaded and loaded[0] == manifest.sequence and loaded[1] == manifest_sha:
            return LoadResult(delivery_id, manifest.sequence, {}, skipped=True)
        # A correction: its earlier sequence's rows are replaced entity by entity.
        replacing = loaded is not None
        if replacing:  # cascades to the delivery's files and rejects
            conn.execute("DELETE FROM raw.deliveries WHERE delivery_id = %s", (delivery_id,))
        conn.execute(
            """INSERT INTO raw.deliveries (delivery_id, association_id, period, period_start,
                   sequence, produced_at, contract_version, manifest_sha256)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s)""",
            (
                delivery_id,
                manifest.association_id,
                manifest.period,
                delivery.name.period_start,
                manifest.sequence,
                manifest.produced_at,
                manifest.contract_version,
                manifest_sha,
            ),
        )
        for entry in manifest.files:
            entity = ENTITIES[entry.entity]
            path = delivery.manifest.parent / entry.name
            count, problems, kept = _replace_rows(
                conn, entity, delivery_id, path, key, kept_out, replacing=replacing
            )
            if count + len(problems) + kept != entry.rows:
                raise DeliveryRefused(
                    f"{entry.name}: {count + len(problems) + kept} rows, "
                    f"the manifest says {entry.rows}"
                )
            conn.execute(
                """INSERT INTO raw.delivery_files
                   (delivery_id, entity, file_name, file_sha256, row_count, rejected_rows,
                    opposed_rows)
                   VALUES (%s, %s, %s, %s, %s, %s, %s)""",
                (delivery_id, entity.name, entry.name, entry.sha256, count, len(problems), kept),
            )
            _record_rejects(conn, delivery_id, entity, entry.name, problems)
            rows[entity.name], rejected[entity.name] = count, len(problems)
            opposed[entity.name] = kept
    return LoadResult(delivery_id, manifest.sequence, rows, rejected, opposed)


def _record_rejects(
    conn: psycopg.Connection,
    delivery_id: str,
    entity: Entity,
    file_name: str,
    problems: list[RowProblem],
) -> None:
    """Rejected rows are kept as where and why, never as values: the file itself is archived."""
    if not problems:
        return  # the usual case: no round trip
    with conn.cursor() as cursor:
        cursor.executemany(
            """INSERT INTO raw.rejects
               (delivery_id, entity, file_name, line, column_name, value_class, reason)
               VALUES (%s, %s, %s, %s, %s, %s, %s)""",
            [
                (delivery_id, entity.name, file_name, p.line, p.column, p.value_class, p.reason)
                for p in problems
            ],
        )


def _replace_rows(
    conn: psycopg.Connection,
    entity: Entity,
    delivery_id: str,
    path: Path,
    key: bytes,
    kept_out: KeptOut,
    *,
    replacing: bool,
) -> tuple[int, list[RowProblem], int]:
    """COPY the typable rows of `path` but those of persons who objected; return how many were
    loaded, the rows that could not be typed, and how many were kept out. An earlier sequence's
    rows are deleted first when `replacing`: a first sequence, the usual case, has none, and
    skips the statement and the trigger it fires (a year is 23,000 deliveries)."""
    columns = raw_columns(entity)
    # Binary: PostgreSQL takes the typed values as they are instead of parsing their text.
    copy = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        _table(entity), sql.SQL(", ").join(sql.Identifier(name) for name, _ in columns)
    )
    types = [pg_type.removesuffix(" NOT NULL") for _, pg_type in columns]
    count = opposed = 0
    problems: list[RowProblem] = []
    keys_at = len(columns) - len(PATIENT_COLUMNS) - len(LINEAGE_COLUMNS)
    raw_row = raw_row_maker(entity, key)
    with conn.cursor() as cursor:
        if replacing:
            cursor.execute(
                sql.SQL("DELETE FROM {} WHERE delivery_id = %s").format(_table(entity)),
                (delivery_id,),
            )
        with cursor.copy(copy) as stream:
            stream.set_types(types)
            for line, record in read_extract(path, entity, on_reject=problems.append):
                values = raw_row(record)
                if _kept_out(entity, record, values, keys_at, kept_out):
                    opposed += 1
                    continue
                stream.write_row((delivery_id, line, *values))
                count += 1
    return count, problems, opposed


def _kept_out(entity: Entity, record: dict, values: tuple, keys_at: int, kept_out: KeptOut) -> bool:
    """Whether a row belongs to a person who objected; their encounters' details follow."""
    if entity.describes_patient:
        nir_key, traits_key = values[keys_at], values[keys_at + 1]
        if nir_key in kept_out.keys or traits_key in kept_out.keys:
            if entity.name == "encounters":
                kept_out.records.add((record["association_id"], record["encounter_id"]))
            return True
        return False
    return (record["association_id"], record["encounter_id"]) in kept_out.records


def _table(entity: Entity) -> sql.Composed:
    return sql.Identifier(RAW_SCHEMA, entity.name)

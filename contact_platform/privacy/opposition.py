"""The right to object: a patient's data removed from every schema and kept out for good.

Only linkage keys are stored (`privacy.oppositions`), never the NIR or the traits given: the
keys are computed with the pseudonymisation secret, like at ingestion. An objection purges the
person's records (found through record linkage when it has run, so records with and without
NIR go together), remembers the records' identifiers so that later rows about them are kept out
(`privacy.opposed_records`), and is audited. Ingestion consults both tables for every delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import psycopg

from contact_platform.operations.audit import record
from contact_platform.privacy.pseudonym import nir_pseudonym, traits_pseudonym

_DDL = """
CREATE SCHEMA IF NOT EXISTS privacy;
CREATE TABLE IF NOT EXISTS privacy.oppositions (
    linkage_key text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS privacy.opposed_records (
    association_id text NOT NULL,
    record_id text NOT NULL,
    PRIMARY KEY (association_id, record_id)
)
"""
_DEPENDENTS = ("diagnoses", "vital_signs", "prescriptions")
_VISIT_KINDS = ("call", "encounter")  # OMOP visits are keyed by kind and record
_ENCOUNTER_TABLES = ("encounters", *_DEPENDENTS)  # staged by encounter key


@dataclass(frozen=True)
class Objection:
    """Who objects: a NIR, or identity traits (or both)."""

    nir: str | None = None
    birth_name: str | None = None
    first_name: str | None = None
    birth_date: date | None = None
    sex: str | None = None

    def linkage_keys(self, key: bytes) -> set[str]:
        keys = set()
        if self.nir:
            nir_key = nir_pseudonym(key, self.nir)
            if nir_key is None:
                raise ValueError("the NIR given has an invalid control key")
            keys.add(nir_key)
        if self.birth_name and self.first_name and self.birth_date and self.sex:
            keys.add(
                traits_pseudonym(
                    key,
                    birth_name=self.birth_name,
                    first_name=self.first_name,
                    birth_date=self.birth_date,
                    sex=self.sex,
                )
            )
        if not keys:
            raise ValueError("give a NIR, or birth name, first name, birth date and sex")
        return keys


def ensure_privacy_tables(conn: psycopg.Connection) -> None:
    conn.execute(_DDL)


def object_to_processing(conn: psycopg.Connection, objection: Objection, key: bytes) -> dict:
    """Register the objection and purge the person; return counts (for the audit and the user)."""
    ensure_privacy_tables(conn)
    with conn.transaction():
        keys = _linked_keys(conn, objection.linkage_keys(key))
        conn.execute(
            """INSERT INTO privacy.oppositions (linkage_key)
               SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING""",
            (sorted(keys),),
        )
        purged = _purge(conn, sorted(keys))
        record(conn, "opposition.add", {"linkage_keys": len(keys), "purged_rows": purged})
    return {"linkage_keys": len(keys), "purged_rows": purged}


def opposition_counts(conn: psycopg.Connection) -> dict[str, int]:
    ensure_privacy_tables(conn)
    keys = conn.execute("SELECT count(*) FROM privacy.oppositions").fetchone()[0]
    records = conn.execute("SELECT count(*) FROM privacy.opposed_records").fetchone()[0]
    return {"linkage_keys": keys, "records_kept_out": records}


def _exists(conn: psycopg.Connection, table: str) -> bool:
    """Whether `table` exists as a table (a view built before staging was incremental holds
    nothing to delete)."""
    return conn.execute(
        "SELECT EXISTS (SELECT FROM pg_class WHERE oid = to_regclass(%s) AND relkind = 'r')",
        (table,),
    ).fetchone()[0]


def _linked_keys(conn: psycopg.Connection, keys: set[str]) -> set[str]:
    """The given keys plus every key of records linked to them (NIR and traits together)."""
    if not _exists(conn, "intermediate.int_person_links"):
        return keys
    rows = conn.execute(
        """SELECT nir_pseudonym, traits_pseudonym FROM intermediate.int_person_links
           WHERE person_key IN (
               SELECT person_key FROM intermediate.int_person_links
               WHERE nir_pseudonym = ANY(%(k)s) OR traits_pseudonym = ANY(%(k)s))""",
        {"k": sorted(keys)},
    ).fetchall()
    return keys | {value for row in rows for value in row if value}


def _purge(conn: psycopg.Connection, keys: list[str]) -> int:
    purged = 0
    match = "nir_pseudonym = ANY(%(k)s) OR traits_pseudonym = ANY(%(k)s)"
    for table, id_column in (("raw.calls", "call_id"), ("raw.encounters", "encounter_id")):
        if not _exists(conn, table):
            continue
        conn.execute(
            f"""INSERT INTO privacy.opposed_records
                SELECT association_id, {id_column} FROM {table} WHERE {match}
                ON CONFLICT DO NOTHING""",
            {"k": keys},
        )
        purged += conn.execute(f"DELETE FROM {table} WHERE {match}", {"k": keys}).rowcount
    for entity in _DEPENDENTS:
        if _exists(conn, f"raw.{entity}"):
            purged += conn.execute(
                f"""DELETE FROM raw.{entity} AS d USING privacy.opposed_records AS o
                    WHERE o.association_id = d.association_id AND o.record_id = d.encounter_id"""
            ).rowcount
    return purged + _purge_derived(conn, keys)


def _purge_derived(conn: psycopg.Connection, keys: list[str]) -> int:
    """Tables built by dbt: the person's rows go now; aggregates follow at the next build."""
    if not _exists(conn, "intermediate.int_person_links"):
        return 0
    person_keys = [
        row[0]
        for row in conn.execute(
            """SELECT DISTINCT person_key FROM intermediate.int_person_links
           WHERE nir_pseudonym = ANY(%(k)s) OR traits_pseudonym = ANY(%(k)s)""",
            {"k": keys},
        )
    ]
    person_ids = [
        row[0]
        for row in conn.execute(
            "SELECT person_id FROM intermediate.int_person_ids WHERE source_key = ANY(%s)",
            (person_keys,),
        )
    ]
    opposed_records = [
        f"{a}:{r}"
        for a, r in conn.execute("SELECT association_id, record_id FROM privacy.opposed_records")
    ]
    visit_keys = [f"{kind}:{record}" for record in opposed_records for kind in _VISIT_KINDS]
    purged = 0
    if _exists(conn, "omop.episode_event"):
        purged += conn.execute(
            """DELETE FROM omop.episode_event WHERE episode_id IN
               (SELECT episode_id FROM omop.episode WHERE person_id = ANY(%s))""",
            (person_ids,),
        ).rowcount
    for table, column, values in (
        *((table, "person_id", person_ids) for table in _tables_with_person_id(conn)),
        ("intermediate.int_visits", "person_id", person_ids),
        ("intermediate.int_visit_ids", "source_key", visit_keys),
        ("intermediate.int_note_ids", "source_key", opposed_records),
        ("intermediate.int_persons", "person_id", person_ids),
        ("intermediate.int_person_links", "person_key", person_keys),
        ("intermediate.int_person_ids", "source_key", person_keys),
        ("staging.stg_calls", "call_key", opposed_records),
        *((f"staging.stg_{name}", "encounter_key", opposed_records) for name in _ENCOUNTER_TABLES),
    ):
        if _exists(conn, table):
            purged += conn.execute(
                f"DELETE FROM {table} WHERE {column} = ANY(%s)", (values,)
            ).rowcount
    return purged


def _tables_with_person_id(conn: psycopg.Connection) -> list[str]:
    """Every OMOP table holding a person's rows (person last, though no key enforces it)."""
    rows = conn.execute(
        """SELECT table_schema || '.' || table_name FROM information_schema.columns
           WHERE table_schema = 'omop' AND column_name = 'person_id'
           ORDER BY table_name = 'person', table_name"""
    ).fetchall()
    return [row[0] for row in rows]


@dataclass
class KeptOut:
    """What ingestion must keep out of a delivery: opposed linkage keys and records."""

    keys: frozenset[str]
    records: set[tuple[str, str]]

    @classmethod
    def load(cls, conn: psycopg.Connection, association_id: str) -> KeptOut:
        keys = frozenset(r[0] for r in conn.execute("SELECT linkage_key FROM privacy.oppositions"))
        records = {
            (association_id, r[0])
            for r in conn.execute(
                "SELECT record_id FROM privacy.opposed_records WHERE association_id = %s",
                (association_id,),
            )
        }
        return cls(keys, records)

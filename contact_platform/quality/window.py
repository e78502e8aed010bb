"""Which rows a routine validation reads: those that changed since the suite last passed.

Routine runs (every delivery, every hourly build) validate what changed, so that their cost is
the new data's, not the history's; the weekly full check validates every row. A suite's window
opens at its last passing validation (kept in quality.suite_passes), widened to the last few
days to cover writers that committed while it ran. A failing suite's window therefore never
moves on: a bad delivery keeps failing, and keeps blocking downstream, until a corrected
re-delivery replaces it. A suite that never passed reads every row.

Which rows changed is read as the dbt tests' window reads it (dbt_project/macros/
test_window.sql): by delivery, by rebuilt visit or its episode, by delivered encounter or call,
or by change stamp; a table with none of these columns is validated whole. GE reads a copy of
the chosen rows, a table asset whose expectations it still pushes down to SQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from psycopg import sql

from contact_platform.warehouse.catalogue import column_names

# Routine runs also re-read the last two days of changes (a missed day still gets tested).
RECENT_WINDOW_DAYS = 2
QUALITY_SCHEMA = "quality"


def recent_keys(columns: set[str], since: datetime) -> tuple[str, str | None] | None:
    """How to choose the rows of a table with `columns` that changed after `since`: the key
    column and the SQL selecting the keys that changed (None: the column is itself the change
    stamp), or None when the table has no column saying so."""
    after = f"'{since.isoformat()}'::timestamptz"
    deliveries = f"SELECT delivery_id FROM raw.deliveries WHERE changed_at > {after}"
    visits = f"FROM intermediate.int_visits WHERE changed_at > {after}"
    if "delivery_id" in columns:
        return "delivery_id", deliveries
    if "visit_occurrence_id" in columns:
        return "visit_occurrence_id", f"SELECT visit_occurrence_id {visits}"
    if "episode_id" in columns:
        return "episode_id", f"SELECT episode_id {visits}"
    if "encounter_key" in columns:
        return "encounter_key", (
            f"SELECT encounter_key FROM staging.stg_encounters WHERE delivery_id IN ({deliveries})"
        )
    if "call_key" in columns:
        return "call_key", (
            f"SELECT call_key FROM staging.stg_calls WHERE delivery_id IN ({deliveries})"
        )
    if "changed_at" in columns:
        return "changed_at", None
    return None


@dataclass(frozen=True)
class Relation:
    """What a suite validates: the table itself, or a copy of its rows changed after
    `changed_after`; `started` is when the validation began (the next window's start)."""

    schema: str
    table: str
    started: datetime
    changed_after: datetime | None = None

    @property
    def described(self) -> str:
        if self.changed_after is None:
            return "all"
        return f"changed after {self.changed_after:%Y-%m-%d %H:%M} UTC"


@contextmanager
def rows_to_validate(
    url: str, schema: str, table: str, suite: str, days: int | None
) -> Iterator[Relation]:
    """The relation suite `suite` validates on `schema.table`: every row when `days` is None
    (the full check), when the suite never passed or when no column dates the rows; else a copy
    of the rows changed since it last passed or in the last `days` days, dropped after the
    block. Each call has its own copy, so concurrent validations never share one.

    A copy rather than a view: GE first probes its table with `SELECT 1 ... LIMIT 1`, which
    PostgreSQL plans as if the changed rows were spread evenly through the table. They are the
    newest, at its end: the probe walked a year's index before finding one (4.6 s for
    `visit_occurrence`, 13 s for `observation` after a national year). The copy costs one
    indexed read of the changes, and every expectation then sees the same rows."""
    with psycopg.connect(url, autocommit=True) as conn:
        _ensure_schema(conn)
        started: datetime = conn.execute("SELECT now()").fetchone()[0]
        passed = _last_pass(conn, suite) if days is not None else None
        since = None if passed is None else min(passed, started - timedelta(days=days or 0))
        chosen = None if since is None else recent_keys(column_names(conn, schema, table), since)
        if chosen is None:
            yield Relation(schema, table, started)
            return
        name = f"recent__{schema}__{table}__{uuid.uuid4().hex[:8]}"
        copy, keys = (
            sql.Identifier(QUALITY_SCHEMA, name),
            sql.Identifier(QUALITY_SCHEMA, name + "_keys"),
        )
        try:
            _copy_changed_rows(conn, sql.Identifier(schema, table), copy, keys, *chosen, since)
            yield Relation(QUALITY_SCHEMA, name, started, since)
        finally:
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(copy))


def _copy_changed_rows(
    conn: psycopg.Connection,
    source: sql.Identifier,
    copy: sql.Identifier,
    keys: sql.Identifier,
    column: str,
    select_keys: str | None,
    since: datetime,
) -> None:
    """Copy the rows of `source` whose `column` changed after `since` into the unlogged table
    `copy`: by the change stamp itself, or by the keys `select_keys` chooses, gathered first
    in their own indexed, analysed table `keys` (dropped after), so that the copy is planned
    from their true count (an estimate of the subquery once made PostgreSQL rescan the changes
    for every row)."""
    key = sql.Identifier(column)
    if select_keys is None:
        conn.execute(
            sql.SQL("CREATE UNLOGGED TABLE {} AS SELECT * FROM {} WHERE {} > {}").format(
                copy, source, key, sql.Literal(since)
            )
        )
        return
    try:
        conn.execute(
            sql.SQL("CREATE UNLOGGED TABLE {} AS SELECT DISTINCT {} FROM ({}) AS changed").format(
                keys, key, sql.SQL(select_keys)
            )
        )
        conn.execute(sql.SQL("CREATE INDEX ON {} ({})").format(keys, key))
        conn.execute(sql.SQL("ANALYZE {}").format(keys))
        conn.execute(
            sql.SQL(
                "CREATE UNLOGGED TABLE {} AS SELECT * FROM {} WHERE {} IN (SELECT {} FROM {})"
            ).format(copy, source, key, key, keys)
        )
    finally:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(keys))


def record_pass(url: str, suite: str, started: datetime) -> None:
    """Suite `suite` passed on what had changed when it `started`: its next window opens there."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """INSERT INTO quality.suite_passes (suite, passed_at) VALUES (%s, %s)
               ON CONFLICT (suite) DO UPDATE
               SET passed_at = greatest(quality.suite_passes.passed_at, excluded.passed_at)""",
            (suite, started),
        )


def _ensure_schema(conn: psycopg.Connection) -> None:
    with conn.transaction():
        # Two validations starting together must not race to create the schema.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (QUALITY_SCHEMA,))
        conn.execute("CREATE SCHEMA IF NOT EXISTS quality")
        conn.execute(
            """CREATE TABLE IF NOT EXISTS quality.suite_passes (
                   suite text PRIMARY KEY, passed_at timestamptz NOT NULL)"""
        )


def _last_pass(conn: psycopg.Connection, suite: str) -> datetime | None:
    row = conn.execute(
        "SELECT passed_at FROM quality.suite_passes WHERE suite = %s", (suite,)
    ).fetchone()
    return row[0] if row else None

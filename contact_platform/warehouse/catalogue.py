"""What the warehouse's catalogue says of a table, for code that adapts to its columns."""

from __future__ import annotations

import psycopg


def column_names(conn: psycopg.Connection, schema: str, table: str) -> set[str]:
    """The columns `schema.table` has (none when it does not exist)."""
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s",
        (schema, table),
    ).fetchall()
    return {name for (name,) in rows}

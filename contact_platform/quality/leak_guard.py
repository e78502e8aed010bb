"""The leak guard: no direct identifier in any table analysts can read. Zero tolerance.

Every text column of the analyst-visible schemas is scanned in SQL for NIRs whose control key
is valid (so that a random 15-digit number does not count), French phone numbers and email
addresses. A finding names the table, column, kind and number of rows, never the value.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

ANALYST_SCHEMAS = ("omop", "marts")

# NIR body and key; the key is checked in SQL with 2A -> 19 and 2B -> 18.
_NIR = r"([1278][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6})([0-9]{2})"
_PATTERNS = {
    "phone": r"(\+33|\m0)[1-9]([ .-]?[0-9]{2}){4}\M",
    "email": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+",
}


@dataclass(frozen=True)
class Finding:
    table: str
    column: str
    kind: str
    rows: int

    def describe(self) -> str:
        return f"{self.table}.{self.column}: {self.rows} row(s) with a {self.kind}"


def text_columns(conn: psycopg.Connection, schemas: tuple[str, ...]) -> list[tuple[str, str, str]]:
    return conn.execute(
        """SELECT c.table_schema, c.table_name, c.column_name
           FROM information_schema.columns c
           JOIN information_schema.tables t USING (table_schema, table_name)
           WHERE c.table_schema = ANY(%s) AND t.table_type = 'BASE TABLE'
             AND c.data_type IN ('text', 'character varying', 'character')
           ORDER BY 1, 2, 3""",
        (list(schemas),),
    ).fetchall()


def scan(url: str, schemas: tuple[str, ...] = ANALYST_SCHEMAS) -> list[Finding]:
    """Every identifier-shaped value in the text columns of `schemas`, counted per column."""
    findings = []
    with psycopg.connect(url) as conn:
        for schema, table, column in text_columns(conn, schemas):
            counts = conn.execute(_column_query(schema, table, column)).fetchone()
            for kind, rows in zip(("NIR with a valid key", *_PATTERNS), counts, strict=True):
                if rows:
                    findings.append(Finding(f"{schema}.{table}", column, kind, rows))
    return findings


def _column_query(schema: str, table: str, column: str) -> sql.Composed:
    value = sql.Identifier(column)
    nir = sql.SQL(
        "count(*) FILTER (WHERE EXISTS (SELECT 1 FROM regexp_matches(replace({v}, ' ', ''), "
        "{nir}, 'g') AS m WHERE 97 - (replace(replace(m[1], '2A', '19'), '2B', '18')::numeric "
        "% 97) = m[2]::int))"
    ).format(v=value, nir=sql.Literal(_NIR))
    others = [
        sql.SQL("count(*) FILTER (WHERE {v} ~ {p})").format(v=value, p=sql.Literal(pattern))
        for pattern in _PATTERNS.values()
    ]
    return sql.SQL("SELECT {} FROM {}").format(
        sql.SQL(", ").join([nir, *others]), sql.Identifier(schema, table)
    )

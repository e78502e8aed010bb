"""The embedded server as dbt's first build relies on it."""

from __future__ import annotations

import psycopg


def test_a_table_filled_in_the_transaction_that_creates_it_is_written_once(
    warehouse_url: str,
) -> None:
    """dbt creates and fills each model in one transaction; with the minimal WAL level the rows
    go to the table only, not to the WAL as well (a first build's WAL was twice its data)."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS public.wal_probe")
        before = conn.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
        with conn.transaction():
            conn.execute(
                "CREATE TABLE public.wal_probe AS "
                "SELECT n, md5(n::text) AS filler FROM generate_series(1, 100000) AS n"
            )
            conn.execute("CREATE INDEX ON public.wal_probe (n)")
        written = conn.execute(
            "SELECT pg_current_wal_insert_lsn() - %s::pg_lsn", (before,)
        ).fetchone()[0]
        table_bytes = conn.execute("SELECT pg_total_relation_size('public.wal_probe')").fetchone()[
            0
        ]
        conn.execute("DROP TABLE public.wal_probe")
    assert written < table_bytes / 20, f"{written} bytes of WAL for a {table_bytes}-byte table"

"""The embedded server as dbt's first build relies on it."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from contact_platform.warehouse import embedded


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
        written, table_bytes = conn.execute(
            "SELECT pg_current_wal_insert_lsn() - %s::pg_lsn,"
            " pg_total_relation_size('public.wal_probe')",
            (before,),
        ).fetchone()
        conn.execute("DROP TABLE public.wal_probe")
    assert written < table_bytes / 20, f"{written} bytes of WAL for a {table_bytes}-byte table"


@pytest.fixture
def own_server() -> Iterator[Path]:
    """A data directory of its own: these tests stop and restart the server."""
    home = Path(tempfile.mkdtemp(prefix="contact-test-server-"))
    yield home / "pgdata"
    embedded.stop(home / "pgdata")
    shutil.rmtree(home, ignore_errors=True)


def _start_as_before_minimal_wal(pgdata: Path) -> str:
    """A server running as one set up before the minimal WAL level was (restarted as it is,
    not by `embedded.start`, which would apply the current settings)."""
    with psycopg.connect(embedded.start(pgdata), autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET wal_level = 'replica'")
        conn.execute("ALTER SYSTEM SET max_wal_senders = '10'")
    url = embedded._restart(pgdata).get_uri(database=embedded.DATABASE_NAME)
    assert _wal_level(url) == "replica"
    return url


def _wal_level(url: str) -> str:
    with psycopg.connect(url) as conn:
        return conn.execute("SHOW wal_level").fetchone()[0]


def test_a_stopped_server_starts_with_the_settings_that_need_a_restart(own_server: Path) -> None:
    _start_as_before_minimal_wal(own_server)
    embedded.stop(own_server)
    assert _wal_level(embedded.start(own_server)) == "minimal"


def test_a_running_server_is_not_restarted_under_its_users(own_server: Path) -> None:
    url = _start_as_before_minimal_wal(own_server)
    with psycopg.connect(url) as user:
        embedded.start(own_server)  # another process wants the warehouse meanwhile
        assert user.execute("SHOW wal_level").fetchone() == ("replica",)
    embedded.stop(own_server)
    assert _wal_level(embedded.start(own_server)) == "minimal"  # at its next start

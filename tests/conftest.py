"""Shared fixtures: a real embedded PostgreSQL for the whole session, never a mock."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from contact_platform.settings import Settings
from contact_platform.warehouse import embedded

WAREHOUSE_SCHEMAS = (
    "raw",
    "staging",
    "intermediate",
    "omop",
    "marts",
    "reference",
    "operations",
    "quality",
    "privacy",
    "audit",
    "vocab",
)


@pytest.fixture(scope="session")
def warehouse_settings() -> Iterator[Settings]:
    """Settings of a throw-away CONTACT home whose embedded server lives for the session.

    The home is not in pytest's temporary tree: run as root, the server runs as another user
    that must traverse the home's parents, and every pytest session started meanwhile makes
    that tree owner-only again (the server then lost its data directory mid-suite)."""
    home = Path(tempfile.mkdtemp(prefix="contact-test-home-"))
    settings = Settings.from_env({"CONTACT_HOME": str(home)})
    yield settings
    embedded.stop(settings.pgdata_dir)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def warehouse_url(warehouse_settings: Settings) -> str:
    return embedded.start(warehouse_settings.pgdata_dir)


@pytest.fixture
def empty_warehouse(warehouse_url: str, warehouse_settings: Settings) -> str:
    """The session warehouse with every CONTACT schema and the landing zone emptied."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        for schema in WAREHOUSE_SCHEMAS:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    for folder in (
        warehouse_settings.incoming_dir,
        warehouse_settings.archive_dir,
        warehouse_settings.quarantine_dir,
    ):
        _empty(folder)
    return warehouse_url


def _empty(folder: Path) -> None:
    if folder.exists():
        for path in sorted(folder.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()


TEST_KEY = b"a-test-secret-that-is-long-enough-for-hmac"


def run_dbt(url: str, selection: list[str], target: Path, *flags: str) -> None:
    """`dbt build --select ...` (seeds, models, tests) on the warehouse at `url`, in process,
    restoring the environment."""
    import os

    from dbt.cli.main import dbtRunner

    from contact_platform.settings import DBT_PROJECT_DIR
    from contact_platform.vocabulary.athena import ensure_vocabulary
    from contact_platform.warehouse.connection import libpq_environment

    with psycopg.connect(url) as conn:
        ensure_vocabulary(conn)
    saved = dict(os.environ)
    os.environ.update(libpq_environment(url))
    try:
        result = dbtRunner().invoke(
            [
                "build",
                "--quiet",
                "--indirect-selection",
                "cautious",
                *flags,
                "--select",
                *selection,
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(target),
            ]
        )
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert result.success, result.exception

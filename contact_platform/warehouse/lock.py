"""One dbt build at a time on a warehouse, whatever runs it (schedules, sensors, automation,
a backfill): the change feed downstream of staging orders work by the start of each build."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

DBT_BUILD_LOCK = "contact:dbt-build"


@contextmanager
def exclusive(url: str, name: str = DBT_BUILD_LOCK) -> Iterator[None]:
    """Hold a session advisory lock named `name` for the block; a second holder waits. The lock
    goes with the connection, so a build that dies releases it."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (name,))
        yield

"""Retention: every record older than the retention period leaves the warehouse.

CNIL's framework for health data warehouses keeps each data item 20 years; the period is a
setting (CONTACT_RETENTION_YEARS). A record's age is its event time: when the call was received,
when the encounter started; an encounter's diagnoses, vital signs and prescriptions go with it.
Purges are audited; the dbt tables follow at their next build.
"""

from __future__ import annotations

from datetime import datetime

import psycopg

from contact_platform.operations.audit import record

DEFAULT_YEARS = 20
_DEPENDENTS = ("diagnoses", "vital_signs", "prescriptions")


def cutoff(now: datetime, years: int) -> datetime:
    """The oldest event time kept (29 February falls back to 28 February)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def purge_older_than(conn: psycopg.Connection, oldest_kept: datetime) -> dict[str, int]:
    """Delete raw records with an event time before `oldest_kept`; return rows per table."""
    purged: dict[str, int] = {}
    with conn.transaction():
        purged["calls"] = conn.execute(
            "DELETE FROM raw.calls WHERE received_at < %s", (oldest_kept,)
        ).rowcount
        conn.execute(
            """CREATE TEMPORARY TABLE expired ON COMMIT DROP AS
               SELECT association_id, encounter_id FROM raw.encounters WHERE started_at < %s""",
            (oldest_kept,),
        )
        purged["encounters"] = conn.execute(
            "DELETE FROM raw.encounters WHERE started_at < %s", (oldest_kept,)
        ).rowcount
        for entity in _DEPENDENTS:
            purged[entity] = conn.execute(
                f"""DELETE FROM raw.{entity} AS d USING expired AS e
                    WHERE e.association_id = d.association_id
                      AND e.encounter_id = d.encounter_id"""
            ).rowcount
        record(conn, "retention.purge", {"oldest_kept": oldest_kept.isoformat(), **purged})
    return purged

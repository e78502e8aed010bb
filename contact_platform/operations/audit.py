"""The audit trail: every administrative action on patient data, append-only.

A trigger refuses UPDATE and DELETE on audit.events, so the trail cannot be rewritten through
the warehouse; in production it is also shipped off the warehouse (CNIL: logs kept apart).
Details never hold an identifier: counts, pseudonymised keys' counts, parameters.
"""

from __future__ import annotations

import getpass
import json

import psycopg

_DDL = """
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.events (
    event_id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    action text NOT NULL,
    detail jsonb NOT NULL
);
CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit.events is append-only';
END $$;
DROP TRIGGER IF EXISTS append_only ON audit.events;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.events
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
"""


def ensure_audit(conn: psycopg.Connection) -> None:
    conn.execute(_DDL)


def record(conn: psycopg.Connection, action: str, detail: dict[str, object]) -> None:
    """Append one event, in the caller's transaction: the action and its trace commit together."""
    ensure_audit(conn)
    conn.execute(
        "INSERT INTO audit.events (actor, action, detail) VALUES (%s, %s, %s)",
        (getpass.getuser(), action, json.dumps(detail)),
    )

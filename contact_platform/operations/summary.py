"""What a run produced, in a form a person reads: rows per table and checks passed/failed."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

REPORTED_SCHEMAS = ("raw", "staging", "omop", "marts", "operations")


@dataclass(frozen=True)
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    description: str | None
    metadata: dict[str, object] = field(default_factory=dict)  # plain values, as the UI shows


def table_row_counts(url: str) -> dict[str, int]:
    """Exact row counts of every table and view of the reported schemas, `schema.table` keyed."""
    with psycopg.connect(url) as conn:
        relations = conn.execute(
            """
            SELECT table_schema, table_name FROM information_schema.tables
            WHERE table_schema = ANY(%s) ORDER BY table_schema, table_name
            """,
            (list(REPORTED_SCHEMAS),),
        ).fetchall()
        return {
            f"{schema}.{table}": conn.execute(
                psycopg.sql.SQL("SELECT count(*) FROM {}").format(
                    psycopg.sql.Identifier(schema, table)
                )
            ).fetchone()[0]
            for schema, table in relations
        }


def format_summary(counts: dict[str, int], checks: list[CheckOutcome]) -> str:
    width = max((len(name) for name in counts), default=10)
    lines = ["Rows per table:"]
    lines += [f"  {name:<{width}}  {rows:>9,}" for name, rows in counts.items()]
    passed = sum(check.passed for check in checks)
    lines.append(f"Checks: {passed} passed, {len(checks) - passed} failed")
    for check in checks:
        if not check.passed:
            lines.append(f"  FAILED {check.asset} {check.name}: {check.description or ''}")
    return "\n".join(lines)

"""The leak guard: no direct identifier in any table analysts can read. Zero tolerance.

Every text column of the analyst-visible schemas is scanned in SQL for NIRs whose control key
is valid (so that a random 15-digit number does not count), French phone numbers, email
addresses, and patients' surnames taken from the restricted identity data: the archived
deliveries, the only place names exist. A finding names the table, column, kind and number of
rows, never the value.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from contact_platform.contract.entities import DELIMITER, ENCODING
from contact_platform.privacy.pseudonym import fold
from contact_platform.synthetic.associations import associations

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


def restricted_names(archive_dir: Path, newest_files: int = 400) -> frozenset[str]:
    """Surnames (birth and used) of the patients in the newest archived deliveries, as folded
    words of four letters or more, without common French words and hexadecimal-looking words
    (pseudonyms are hexadecimal)."""
    paths = sorted(
        (p for entity in ("calls", "encounters") for p in archive_dir.rglob(f"*_{entity}.csv")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )[:newest_files]
    names: set[str] = set()
    for path in paths:
        with path.open(encoding=ENCODING, errors="replace", newline="") as handle:
            for row in csv.DictReader(handle, delimiter=DELIMITER):
                for column in ("patient_birth_name", "patient_used_name"):
                    names.update(_WORD.findall(fold(row.get(column) or "")))
    public = _public_words()
    return frozenset(
        n
        for n in names
        if len(n) >= 4 and n not in _COMMON_WORDS and n not in public and not _HEX.match(n)
    )


def _public_words() -> frozenset[str]:
    """Words of the associations' identifiers and names (Seine-Saint-Denis...): public."""
    words: set[str] = set()
    for association in associations():
        words.update(_WORD.findall(fold(f"{association.association_id} {association.name}")))
    return frozenset(words)


_WORD = re.compile(r"[A-Z]+")
_HEX = re.compile(r"^[A-F]+$")
# Surnames that are everyday French words: their presence in a text is no evidence of a leak.
_COMMON_WORDS = frozenset(
    {
        "SAINT",
        "PETIT",
        "BLANC",
        "BRUN",
        "ROUX",
        "NOEL",
        "MARIE",
        "ROCHE",
        "ROBIN",
        "LEGRAND",
        "DUVAL",
        "JOLY",
        "FAURE",
        "MARCHAND",
        "MEUNIER",
        "PIERRE",
        "MASSON",
        "BARBIER",
        "BONNET",
        "VIDAL",
        "CARON",
        "COLIN",
        "RENARD",
    }
)
_FOLD_FROM = "àâäéèêëîïôöùûüçÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ"
_FOLD_TO = "aaaeeeeiioouuucAAAEEEEIIOOUUUC"


def scan(
    url: str,
    schemas: tuple[str, ...] = ANALYST_SCHEMAS,
    names: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Every identifier-shaped value in the text columns of `schemas`, counted per column."""
    findings = []
    with psycopg.connect(url) as conn:
        for schema, table, column in text_columns(conn, schemas):
            counts = conn.execute(_column_query(schema, table, column, names)).fetchone()
            kinds = ("NIR with a valid key", *_PATTERNS, "patient surname")
            for kind, rows in zip(kinds, counts, strict=True):
                if rows:
                    findings.append(Finding(f"{schema}.{table}", column, kind, rows))
    return findings


def _column_query(schema: str, table: str, column: str, names: frozenset[str]) -> sql.Composed:
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
    name = sql.SQL(
        "count(*) FILTER (WHERE EXISTS (SELECT 1 FROM regexp_split_to_table("
        "upper(translate({v}, {a}, {b})), '[^A-Z]+') AS word "
        "WHERE word = ANY({names}::text[])))"
    ).format(
        v=value,
        a=sql.Literal(_FOLD_FROM),
        b=sql.Literal(_FOLD_TO),
        names=sql.Literal(sorted(names)),
    )
    return sql.SQL("SELECT {} FROM {}").format(
        sql.SQL(", ").join([nir, *others, name]), sql.Identifier(schema, table)
    )

"""Load an OHDSI Athena vocabulary download (or the shipped demo subset, in the same format).

Athena files are tab-separated with a header, unquoted (names contain quotes), dates as
YYYYMMDD. Every file present replaces its table, all in one transaction: a failed load leaves
the previous vocabulary in place. The local vocabularies (ICPC-2, CONTACT) and their Usagi
mappings are registered again afterwards, so an Athena refresh never loses them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg

from contact_platform.transform.omop_spec import omop_fields
from contact_platform.vocabulary.local import LOCAL_CONCEPT_FLOOR, register_local_vocabularies
from contact_platform.vocabulary.tables import (
    VOCAB_SCHEMA,
    VOCABULARY_TABLES,
    ensure_vocabulary_tables,
)

SHIPPED_SUBSET = Path(__file__).parent / "shipped"
REQUIRED_FILES = ("CONCEPT.csv", "VOCABULARY.csv")
_CHUNK = 1 << 20
# Athena's files are not quoted: a quote character that never occurs (backspace) turns CSV
# quoting off while keeping CSV's empty-field-is-NULL rule.
_COPY_OPTIONS = "FORMAT csv, DELIMITER E'\\t', HEADER MATCH, QUOTE E'\\b'"

Progress = Callable[[str, int, int], None]


class VocabularyLoadError(Exception):
    """A vocabulary file that cannot be loaded; the message names the file, line and column."""


@dataclass(frozen=True)
class LoadedFile:
    table: str
    path: Path
    rows: int


def athena_files(directory: Path) -> dict[str, Path]:
    """The vocabulary tables `directory` holds a file for (CONCEPT.csv -> concept)."""
    if not directory.is_dir():
        raise VocabularyLoadError(f"{directory}: not a directory")
    present = {path.name.upper(): path for path in directory.iterdir() if path.is_file()}
    missing = [name for name in REQUIRED_FILES if name.upper() not in present]
    if missing:
        raise VocabularyLoadError(
            f"{directory}: not an Athena download, missing {', '.join(missing)}"
        )
    return {
        table: present[f"{table.upper()}.CSV"]
        for table in VOCABULARY_TABLES
        if f"{table.upper()}.CSV" in present
    }


def _header_columns(path: Path, table: str) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\r\n").split("\t")
    columns = [name.strip().lower() for name in header]
    known = {field.name for field in omop_fields(table)}
    unknown = [name for name in columns if name not in known]
    if unknown:
        raise VocabularyLoadError(f"{path.name}, line 1: unknown column(s) {', '.join(unknown)}")
    absent = [f.name for f in omop_fields(table) if f.required and f.name not in columns]
    if absent:
        raise VocabularyLoadError(f"{path.name}, line 1: missing column(s) {', '.join(absent)}")
    return columns


def _copy_file(
    conn: psycopg.Connection, table: str, path: Path, progress: Progress | None
) -> LoadedFile:
    columns = _header_columns(path, table)
    total = path.stat().st_size
    done = 0
    statement = f"COPY {VOCAB_SCHEMA}.{table} ({', '.join(columns)}) FROM STDIN ({_COPY_OPTIONS})"
    try:
        with conn.cursor() as cursor, path.open("rb") as handle:
            with cursor.copy(statement) as copy:
                while chunk := handle.read(_CHUNK):
                    copy.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(table, done, total)
            rows = cursor.rowcount
    except psycopg.Error as error:
        where = (error.diag.context or "").strip().splitlines()
        raise VocabularyLoadError(
            f"{path.name}: {error.diag.message_primary} ({where[-1] if where else 'COPY'})"
        ) from error
    return LoadedFile(table, path, rows)


def load_athena(
    conn: psycopg.Connection, directory: Path, progress: Progress | None = None
) -> list[LoadedFile]:
    """Replace the vocabulary tables `directory` has files for, then re-register local ones."""
    files = athena_files(directory)
    with conn.transaction():
        ensure_vocabulary_tables(conn)
        loaded = []
        for table, path in files.items():
            conn.execute(f"TRUNCATE {VOCAB_SCHEMA}.{table}")
            loaded.append(_copy_file(conn, table, path, progress))
        register_local_vocabularies(conn)
    conn.execute(f"ANALYZE {VOCAB_SCHEMA}.concept")
    return loaded


def ensure_vocabulary(conn: psycopg.Connection) -> bool:
    """Tables present, the shipped subset loaded when the warehouse has no vocabulary yet, and
    the local vocabularies current. Returns whether the shipped subset was loaded."""
    ensure_vocabulary_tables(conn)
    standard_loaded = conn.execute(
        f"SELECT EXISTS (SELECT 1 FROM {VOCAB_SCHEMA}.concept WHERE concept_id < %s)",
        (LOCAL_CONCEPT_FLOOR,),
    ).fetchone()[0]
    if not standard_loaded:
        load_athena(conn, SHIPPED_SUBSET)
        return True
    with conn.transaction():
        register_local_vocabularies(conn)
    return False

"""Import a reviewed ICPC-2 (or CONTACT) mapping exported by OHDSI's Usagi.

Usagi exports a comma-separated file, one row per source code and target concept, with
`sourceCode`, `mappingStatus` and `conceptId` (`targetConceptId` in some exports) among its
columns. Only APPROVED rows with a target are imported (and, when the file has a
`mappingType` column, only MAPS_TO rows). The import replaces the earlier mapping of that
source vocabulary as a whole, in one transaction; any bad row refuses the whole file with the
file, line and column named.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from contact_platform.vocabulary.local import ICPC2, register_local_vocabularies

_CONCEPT_COLUMNS = ("conceptId", "targetConceptId")


class UsagiImportError(Exception):
    """A Usagi file that cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class Mapping:
    line: int
    source_code: str
    source_name: str
    target_concept_id: int


@dataclass
class UsagiImport:
    source_vocabulary: str
    imported: list[Mapping] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # mapping status -> rows


def read_usagi(path: Path, source_vocabulary: str = ICPC2) -> UsagiImport:
    """The approved 'Maps to' rows of `path`; raises UsagiImportError naming the bad cell."""
    result = UsagiImport(source_vocabulary)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        concept_column = next((name for name in _CONCEPT_COLUMNS if name in header), None)
        for required in ("sourceCode", "mappingStatus"):
            if required not in header:
                raise UsagiImportError(f"{path.name}, line 1: no {required} column")
        if concept_column is None:
            raise UsagiImportError(f"{path.name}, line 1: no conceptId column")
        for line, row in enumerate(reader, start=2):
            status = (row["mappingStatus"] or "").strip().upper()
            kind = (row.get("mappingType") or "MAPS_TO").strip().upper()
            if status != "APPROVED" or kind != "MAPS_TO":
                label = status if status != "APPROVED" else f"APPROVED {kind}"
                result.skipped[label] = result.skipped.get(label, 0) + 1
                continue
            code = (row["sourceCode"] or "").strip()
            if not code:
                raise UsagiImportError(f"{path.name}, line {line}, column sourceCode: empty")
            try:
                target = int((row[concept_column] or "").strip())
            except ValueError:
                raise UsagiImportError(
                    f"{path.name}, line {line}, column {concept_column}: not a concept id"
                ) from None
            if target == 0:
                result.skipped["APPROVED without target"] = (
                    result.skipped.get("APPROVED without target", 0) + 1
                )
                continue
            result.imported.append(Mapping(line, code, row.get("sourceName") or "", target))
    return result


def import_usagi(
    conn: psycopg.Connection, path: Path, source_vocabulary: str = ICPC2
) -> UsagiImport:
    """Replace the mapping of `source_vocabulary` with the approved rows of `path`."""
    result = read_usagi(path, source_vocabulary)
    with conn.transaction():
        known_codes = {
            code
            for (code,) in conn.execute(
                "SELECT concept_code FROM vocab.concept WHERE vocabulary_id = %s",
                (source_vocabulary,),
            )
        }
        targets = {
            concept_id: (standard, invalid, vocabulary)
            for concept_id, standard, invalid, vocabulary in conn.execute(
                """SELECT concept_id, standard_concept, invalid_reason, vocabulary_id
                   FROM vocab.concept WHERE concept_id = ANY(%s)""",
                ([m.target_concept_id for m in result.imported],),
            )
        }
        for mapping in result.imported:
            _check(path, mapping, source_vocabulary, known_codes, targets)
        conn.execute(
            "DELETE FROM vocab.source_to_concept_map WHERE source_vocabulary_id = %s",
            (source_vocabulary,),
        )
        with conn.cursor() as cursor:
            cursor.executemany(
                """INSERT INTO vocab.source_to_concept_map VALUES
                   (%s, 0, %s, %s, %s, %s, DATE '1970-01-01', DATE '2099-12-31', NULL)""",
                [
                    (
                        m.source_code,
                        source_vocabulary,
                        m.source_name[:255] or None,
                        m.target_concept_id,
                        targets[m.target_concept_id][2],
                    )
                    for m in result.imported
                ],
            )
        register_local_vocabularies(conn)
        conn.execute(
            """UPDATE vocab.source_to_concept_map AS map SET source_concept_id = c.concept_id
               FROM vocab.concept AS c
               WHERE map.source_vocabulary_id = %s AND c.vocabulary_id = map.source_vocabulary_id
                 AND c.concept_code = map.source_code""",
            (source_vocabulary,),
        )
    return result


def _check(
    path: Path,
    mapping: Mapping,
    source_vocabulary: str,
    known_codes: set[str],
    targets: dict[int, tuple[str | None, str | None, str]],
) -> None:
    where = f"{path.name}, line {mapping.line}"
    if mapping.source_code not in known_codes:
        raise UsagiImportError(
            f"{where}, column sourceCode: {mapping.source_code!r} is not a {source_vocabulary} code"
        )
    target = targets.get(mapping.target_concept_id)
    if target is None:
        raise UsagiImportError(
            f"{where}, column conceptId: concept {mapping.target_concept_id} is not in the "
            "vocabulary (load the Athena download first: contact vocab load-athena DIR)"
        )
    standard, invalid, _ = target
    if standard != "S" or invalid is not None:
        raise UsagiImportError(
            f"{where}, column conceptId: concept {mapping.target_concept_id} is not a valid "
            "standard concept"
        )

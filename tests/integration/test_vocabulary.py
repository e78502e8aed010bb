"""Vocabularies: the shipped subset, an Athena-format load and a Usagi mapping import, on the
real warehouse; bad files are refused whole, naming the file, line and column."""

from pathlib import Path

import psycopg
import pytest

from contact_platform.vocabulary.athena import (
    SHIPPED_SUBSET,
    VocabularyLoadError,
    ensure_vocabulary,
    load_athena,
)
from contact_platform.vocabulary.local import icpc2_concept_id
from contact_platform.vocabulary.usagi import UsagiImportError, import_usagi

INFLUENZA_SNOMED = 4266367  # a standard Condition concept of the test's Athena files


def write_athena(folder: Path, extra_concepts: list[str] = ()) -> Path:
    """The shipped subset plus `extra_concepts` (tab-separated CONCEPT rows): Athena's format."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in SHIPPED_SUBSET.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        if path.name == "CONCEPT.csv":
            text += "".join(f"{row}\n" for row in extra_concepts)
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def concept_row(concept_id: int, name: str, domain: str, standard: str = "S") -> str:
    return "\t".join(
        [
            str(concept_id),
            name,
            domain,
            "SNOMED",
            "Clinical Finding",
            standard,
            str(concept_id),
            "20020131",
            "20991231",
            "",
        ]
    )


def usagi_file(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["sourceCode,sourceName,sourceFrequency,mappingStatus,conceptId,conceptName"]
    lines += [f'{code},"{code} name",10,{status},{concept},x' for code, status, concept in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def conn(empty_warehouse):
    with psycopg.connect(empty_warehouse) as connection:
        yield connection


def test_shipped_subset_and_local_concepts(conn):
    assert ensure_vocabulary(conn) is True
    assert ensure_vocabulary(conn) is False  # already there: only local vocabularies refreshed
    (name, domain, vocabulary, standard) = conn.execute(
        "SELECT concept_name, domain_id, vocabulary_id, standard_concept FROM vocab.concept "
        "WHERE concept_id = %s",
        (icpc2_concept_id("R80"),),
    ).fetchone()
    assert (name, domain, vocabulary, standard) == ("Influenza", "Condition", "ICPC2", None)
    assert icpc2_concept_id("R80") == 2_000_001_780
    genders = conn.execute(
        "SELECT concept_id FROM vocab.concept WHERE domain_id = 'Gender' ORDER BY 1"
    ).fetchall()
    assert genders == [(8507,), (8532,)]


def test_athena_load_replaces_the_vocabulary_and_keeps_local_concepts(conn, tmp_path):
    ensure_vocabulary(conn)
    folder = write_athena(
        tmp_path / "athena", [concept_row(INFLUENZA_SNOMED, "Influenza", "Condition")]
    )
    progress = []
    loaded = load_athena(conn, folder, lambda table, done, total: progress.append((table, done)))
    conn.commit()
    rows = {file.table: file.rows for file in loaded}
    assert rows["concept"] == 27 and rows["vocabulary"] == 11 and rows["domain"] == 12
    assert ("concept", (folder / "CONCEPT.csv").stat().st_size) in progress
    assert (
        conn.execute(
            "SELECT count(*) FROM vocab.concept WHERE concept_id = %s", (INFLUENZA_SNOMED,)
        ).fetchone()[0]
        == 1
    )
    assert (
        conn.execute("SELECT count(*) FROM vocab.concept WHERE vocabulary_id = 'ICPC2'").fetchone()[
            0
        ]
        > 50
    )


def test_a_bad_athena_file_is_refused_whole(conn, tmp_path):
    ensure_vocabulary(conn)
    conn.commit()
    before = conn.execute("SELECT count(*) FROM vocab.concept").fetchone()[0]
    bad = concept_row(123, "Broken", "Condition").replace("20020131", "2002-13-45")
    folder = write_athena(tmp_path / "athena", [concept_row(122, "Fine", "Condition"), bad])
    with pytest.raises(VocabularyLoadError, match=r"CONCEPT\.csv.*line 2[89].*valid_start_date"):
        load_athena(conn, folder)
    conn.rollback()
    assert conn.execute("SELECT count(*) FROM vocab.concept").fetchone()[0] == before
    (folder / "CONCEPT.csv").unlink()
    with pytest.raises(VocabularyLoadError, match=r"missing CONCEPT\.csv"):
        load_athena(conn, folder)


def test_usagi_import_maps_approved_rows_only(conn, tmp_path):
    load_athena(
        conn,
        write_athena(
            tmp_path / "athena",
            [
                concept_row(INFLUENZA_SNOMED, "Influenza", "Condition"),
                concept_row(4000001, "Old cough concept", "Condition", standard=""),
            ],
        ),
    )
    path = usagi_file(
        tmp_path / "usagi.csv",
        [("R80", "APPROVED", str(INFLUENZA_SNOMED)), ("R05", "UNCHECKED", str(INFLUENZA_SNOMED))],
    )
    result = import_usagi(conn, path)
    conn.commit()
    assert [m.source_code for m in result.imported] == ["R80"]
    assert result.skipped == {"UNCHECKED": 1}
    maps_to = conn.execute(
        """SELECT concept_id_1, concept_id_2 FROM vocab.concept_relationship
           WHERE relationship_id = 'Maps to'"""
    ).fetchall()
    assert maps_to == [(icpc2_concept_id("R80"), INFLUENZA_SNOMED)]
    version = conn.execute(
        "SELECT vocabulary_version FROM vocab.vocabulary WHERE vocabulary_id = 'ICPC2'"
    ).fetchone()[0]
    assert "mappings none" not in version

    # An Athena refresh keeps the mapping.
    load_athena(conn, tmp_path / "athena")
    assert (
        conn.execute(
            "SELECT count(*) FROM vocab.concept_relationship WHERE relationship_id = 'Maps to'"
        ).fetchone()[0]
        == 1
    )

    for rows, message in (
        ([("Q99", "APPROVED", str(INFLUENZA_SNOMED))], "line 2, column sourceCode: 'Q99'"),
        ([("R80", "APPROVED", "999")], "line 2, column conceptId: concept 999 is not in"),
        ([("R80", "APPROVED", "4000001")], "not a valid standard concept"),
        ([("R80", "APPROVED", "abc")], "line 2, column conceptId: not a concept id"),
    ):
        with pytest.raises(UsagiImportError, match=message):
            import_usagi(conn, usagi_file(tmp_path / "bad.csv", rows))
        conn.rollback()
    assert (
        conn.execute(
            "SELECT count(*) FROM vocab.source_to_concept_map WHERE source_code = 'R80'"
        ).fetchone()[0]
        == 1
    )

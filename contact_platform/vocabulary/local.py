"""The platform's local vocabularies: ICPC-2 and CONTACT's own source codes.

ICPC-2 is not an OMOP standard vocabulary: OHDSI's way is to register it as a source vocabulary
with local concept ids (>= 2,000,000,000) and to map its codes to standard concepts ('Maps to')
from a reviewed mapping (see usagi.py). CONTACT's own coded values (orientation, triage
decision, handover to the GP, regular GP known) are registered the same way, so that every
source value in OMOP has a source concept and can be mapped later without touching the models.

Concept ids are computed from the codes, never allocated: they are the same in every warehouse
and survive any reload. ICPC-2: 2,000,000,000 + chapter x 100 + number (R80 -> 2,000,001,780).
CONTACT: 2,000,100,000 + block x 100 + position of the value in the contract (append-only).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import psycopg

from contact_platform.contract.entities import (
    ENCOUNTERS,
    OUTCOMES,
    TRIAGE_DECISIONS,
    YES_NO_UNKNOWN,
)
from contact_platform.contract.icpc2 import ICPC2_SEED

LOCAL_CONCEPT_FLOOR = 2_000_000_000
LOCAL_CONCEPT_CEILING = 2_000_199_999  # the range this module owns
ICPC2 = "ICPC2"
CONTACT = "CONTACT"
_CONTACT_BASE = 2_000_100_000
# Blocks of CONTACT codes: (prefix, values in contract order). Append only, never reorder.
CONTACT_BLOCKS = (
    ("outcome", OUTCOMES),
    ("triage", TRIAGE_DECISIONS),
    ("gp_handover", ENCOUNTERS.column("gp_handover").allowed_values),
    ("regular_gp", YES_NO_UNKNOWN),
)


@dataclass(frozen=True)
class LocalConcept:
    concept_id: int
    name: str
    domain_id: str
    vocabulary_id: str
    concept_class_id: str
    code: str


def icpc2_concept_id(code: str) -> int:
    """R80 -> 2,000,001,780: chapter letter A..Z times 100 plus the two digits."""
    chapter, number = code[0].upper(), int(code[1:])
    if not ("A" <= chapter <= "Z") or not 0 <= number <= 99 or len(code) != 3:
        raise ValueError(f"not an ICPC-2 code: {code!r}")
    return LOCAL_CONCEPT_FLOOR + (ord(chapter) - ord("A")) * 100 + number


def icpc2_concepts() -> list[LocalConcept]:
    with ICPC2_SEED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        LocalConcept(
            icpc2_concept_id(row["icpc2_code"]),
            row["title"],
            "Condition" if row["component"] == "diagnosis" else "Observation",
            ICPC2,
            "ICPC2 Code",
            row["icpc2_code"],
        )
        for row in rows
    ]


def contact_concepts() -> list[LocalConcept]:
    return [
        LocalConcept(
            _CONTACT_BASE + block * 100 + position,
            f"{prefix.replace('_', ' ')}: {value.replace('_', ' ')}",
            "Observation",
            CONTACT,
            "CONTACT Code",
            f"{prefix}:{value}",
        )
        for block, (prefix, values) in enumerate(CONTACT_BLOCKS)
        for position, value in enumerate(values)
    ]


# The local vocabularies: id, name, and the concept standing for the vocabulary itself.
_VOCABULARIES = (
    (ICPC2, "International Classification of Primary Care, 2nd edition (WONCA)", 2_000_199_000),
    (CONTACT, "CONTACT source codes (SOS Médecins extract contract)", 2_000_199_001),
)


def register_local_vocabularies(conn: psycopg.Connection) -> None:
    """(Re)write the local concepts and their 'Maps to' relationships from the stored mappings.

    Runs inside the caller's transaction, after any Athena load or Usagi import."""
    concepts = icpc2_concepts() + contact_concepts()
    ours = {"low": LOCAL_CONCEPT_FLOOR, "high": LOCAL_CONCEPT_CEILING}
    conn.execute("DELETE FROM vocab.concept WHERE concept_id BETWEEN %(low)s AND %(high)s", ours)
    conn.execute(
        """DELETE FROM vocab.concept_relationship
           WHERE concept_id_1 BETWEEN %(low)s AND %(high)s
              OR concept_id_2 BETWEEN %(low)s AND %(high)s""",
        ours,
    )
    for class_id in ("ICPC2 Code", "CONTACT Code", "Vocabulary"):
        conn.execute(
            """INSERT INTO vocab.concept_class VALUES (%s, %s, 0)
               ON CONFLICT (concept_class_id) DO NOTHING""",
            (class_id, class_id),
        )
    for domain_id in ("Condition", "Observation", "Metadata"):
        conn.execute(
            "INSERT INTO vocab.domain VALUES (%s, %s, 0) ON CONFLICT (domain_id) DO NOTHING",
            (domain_id, domain_id),
        )
    with conn.cursor() as cursor:
        cursor.executemany(
            """INSERT INTO vocab.concept VALUES
               (%s, %s, %s, %s, %s, NULL, %s, DATE '1970-01-01', DATE '2099-12-31', NULL)""",
            [
                (c.concept_id, c.name, c.domain_id, c.vocabulary_id, c.concept_class_id, c.code)
                for c in concepts
            ]
            + [
                (concept_id, name, "Metadata", "Vocabulary", "Vocabulary", vocabulary_id)
                for (vocabulary_id, name, concept_id) in _VOCABULARIES
            ],
        )
    conn.execute(
        """INSERT INTO vocab.vocabulary VALUES ('Vocabulary', 'OMOP Vocabulary', 'OMOP generated',
           NULL, 0) ON CONFLICT (vocabulary_id) DO NOTHING"""
    )
    _write_maps_to(conn)
    for vocabulary_id, name, concept_id in _VOCABULARIES:
        conn.execute(
            """INSERT INTO vocab.vocabulary AS v VALUES
               (%(id)s, %(name)s, 'CONTACT local vocabulary', %(version)s, %(concept)s)
               ON CONFLICT (vocabulary_id) DO UPDATE
               SET vocabulary_name = excluded.vocabulary_name,
                   vocabulary_version = excluded.vocabulary_version,
                   vocabulary_concept_id = excluded.vocabulary_concept_id""",
            {
                "id": vocabulary_id,
                "name": name,
                "version": _local_version(conn, vocabulary_id),
                "concept": concept_id,
            },
        )


def _write_maps_to(conn: psycopg.Connection) -> None:
    """'Maps to' (and 'Mapped from') from each local concept to its mapped standard concepts."""
    conn.execute(
        """WITH local_maps AS (
               SELECT DISTINCT source.concept_id AS source_id, map.target_concept_id AS target_id,
                      map.valid_start_date, map.valid_end_date
               FROM vocab.source_to_concept_map AS map
               JOIN vocab.concept AS source
                 ON source.vocabulary_id = map.source_vocabulary_id
                AND source.concept_code = map.source_code
               WHERE map.source_vocabulary_id IN ('ICPC2', 'CONTACT')
                 AND map.invalid_reason IS NULL AND map.target_concept_id <> 0
           )
           INSERT INTO vocab.concept_relationship
           SELECT source_id, target_id, 'Maps to', valid_start_date, valid_end_date, NULL
           FROM local_maps
           UNION ALL
           SELECT target_id, source_id, 'Mapped from', valid_start_date, valid_end_date, NULL
           FROM local_maps"""
    )


def _local_version(conn: psycopg.Connection, vocabulary_id: str) -> str:
    """Changes whenever the codes or their mappings change: the OMOP models rebuild on it."""
    codes, mappings = conn.execute(
        """SELECT
             (SELECT left(md5(string_agg(concept_code || '=' || concept_name, ','
                     ORDER BY concept_code)), 12)
              FROM vocab.concept WHERE vocabulary_id = %(v)s),
             (SELECT coalesce(left(md5(string_agg(source_code || '>' || target_concept_id, ','
                     ORDER BY source_code, target_concept_id)), 12), 'none')
              FROM vocab.source_to_concept_map
              WHERE source_vocabulary_id = %(v)s AND invalid_reason IS NULL)""",
        {"v": vocabulary_id},
    ).fetchone()
    return f"codes {codes}; mappings {mappings}"

"""What an association delivers, column by column, and what ingestion does with each column.

Every consumer reads this module: the synthetic generator writes these columns, the reader
validates against them, the raw tables are created from them and the Great Expectations suites
are generated from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from contact_platform.contract.icpc2 import icpc2_codes

CONTRACT_VERSION = "1.0"
DELIMITER = ";"
ENCODING = "utf-8"


class ColumnType(Enum):
    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    TIMESTAMP = "timestamp"


class Handling(Enum):
    """What ingestion does with a column before anything reaches the database."""

    KEEP = "keep"  # loaded as delivered
    IDENTITY = "identity"  # consumed by pseudonymisation, never loaded
    FREE_TEXT = "free_text"  # scrubbed of identifiers, then loaded


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    required: bool = False
    handling: Handling = Handling.KEEP
    allowed_values: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Entity:
    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


SEX_VALUES = ("M", "F", "U")

_PATIENT_COLUMNS = (
    Column(
        "patient_nir",
        ColumnType.TEXT,
        "NIR with its 2-digit key, when given",
        False,
        Handling.IDENTITY,
    ),
    Column(
        "patient_birth_name",
        ColumnType.TEXT,
        "Birth name (nom de naissance)",
        True,
        Handling.IDENTITY,
    ),
    Column("patient_first_name", ColumnType.TEXT, "First name", True, Handling.IDENTITY),
    Column("patient_birth_date", ColumnType.DATE, "Date of birth", True, Handling.IDENTITY),
    Column(
        "patient_sex",
        ColumnType.TEXT,
        "Sex: M, F or U (unknown)",
        True,
        Handling.IDENTITY,
        SEX_VALUES,
    ),
    Column(
        "patient_postcode",
        ColumnType.TEXT,
        "Postcode of the place of residence",
        False,
        Handling.IDENTITY,
    ),
)

CALLS = Entity(
    name="calls",
    description="Calls received by the association's call centre (régulation).",
    key=("association_id", "call_id"),
    columns=(
        Column("call_id", ColumnType.TEXT, "Call identifier, unique within the association", True),
        Column("association_id", ColumnType.TEXT, "Association that received the call", True),
        Column(
            "received_at", ColumnType.TIMESTAMP, "When the call was received (UTC, ISO 8601)", True
        ),
        *_PATIENT_COLUMNS,
        Column(
            "call_reason_text",
            ColumnType.TEXT,
            "Call reason as typed by the call taker",
            False,
            Handling.FREE_TEXT,
        ),
        Column(
            "triage_decision",
            ColumnType.TEXT,
            "What the call taker decided",
            True,
            allowed_values=(
                "home_visit",
                "centre_consultation",
                "teleconsultation",
                "advice",
                "redirect_emergency",
                "redirect_gp",
            ),
        ),
    ),
)

ENCOUNTER_TYPES = ("home_visit", "centre_consultation", "teleconsultation")

ENCOUNTERS = Entity(
    name="encounters",
    description="Home visits, fixed-centre consultations and teleconsultations by a doctor.",
    key=("association_id", "encounter_id"),
    columns=(
        Column(
            "encounter_id",
            ColumnType.TEXT,
            "Encounter identifier, unique within the association",
            True,
        ),
        Column("association_id", ColumnType.TEXT, "Association whose doctor saw the patient", True),
        Column("call_id", ColumnType.TEXT, "The call that led to this encounter, if any"),
        Column(
            "encounter_type",
            ColumnType.TEXT,
            "Kind of encounter",
            True,
            allowed_values=ENCOUNTER_TYPES,
        ),
        Column("started_at", ColumnType.TIMESTAMP, "Start of the encounter (UTC, ISO 8601)", True),
        Column("ended_at", ColumnType.TIMESTAMP, "End of the encounter (UTC, ISO 8601)", True),
        *_PATIENT_COLUMNS,
        Column(
            "diagnosis_icpc2",
            ColumnType.TEXT,
            "Main diagnosis, ICPC-2 code",
            True,
            allowed_values=icpc2_codes(),
        ),
    ),
)

ENTITIES: dict[str, Entity] = {entity.name: entity for entity in (CALLS, ENCOUNTERS)}

"""What an association delivers, column by column, and what ingestion does with each column.

Every consumer reads this module: the synthetic generator writes these columns, the reader
validates against them, the raw tables are created from them and the Great Expectations suites
are generated from them. docs/extract-contract.md explains it for the associations.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cached_property

from contact_platform.contract.icpc2 import icpc2_codes

CONTRACT_VERSION = "1.0"
DELIMITER = ";"
ENCODING = "utf-8"


class ColumnType(Enum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"


class Handling(Enum):
    """What ingestion does with a column before anything reaches the database."""

    KEEP = "keep"  # loaded as delivered
    IDENTITY = "identity"  # consumed by pseudonymisation and scrubbing, never loaded
    FREE_TEXT = "free_text"  # scrubbed of identifiers, then loaded
    PSEUDONYMISED = "pseudonymised"  # replaced by a keyed hash (professionals' identifiers)


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    required: bool = False
    handling: Handling = Handling.KEEP
    allowed_values: tuple[str, ...] | None = None
    minimum: float | None = None  # plausible range, checked by the suites, not the reader
    maximum: float | None = None


@dataclass(frozen=True)
class Entity:
    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @cached_property
    def describes_patient(self) -> bool:
        """Whether rows carry the patient's identity (and so get a person pseudonym)."""
        return any(column.handling is Handling.IDENTITY for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


SEX_VALUES = ("M", "F", "U")
YES_NO_UNKNOWN = ("yes", "no", "unknown")

PATIENT_COLUMNS = (
    Column(
        "patient_nir",
        ColumnType.TEXT,
        "NIR with its 2-digit key, when the patient gave it",
        handling=Handling.IDENTITY,
    ),
    Column(
        "patient_birth_name",
        ColumnType.TEXT,
        "Birth name (nom de naissance)",
        True,
        Handling.IDENTITY,
    ),
    Column(
        "patient_used_name",
        ColumnType.TEXT,
        "Used name (nom d'usage), when different",
        handling=Handling.IDENTITY,
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
    Column("patient_address", ColumnType.TEXT, "Street address", handling=Handling.IDENTITY),
    Column("patient_postcode", ColumnType.TEXT, "Postcode", handling=Handling.IDENTITY),
    Column("patient_commune_code", ColumnType.TEXT, "INSEE code of the commune of residence"),
    Column("patient_phone", ColumnType.TEXT, "Phone number", handling=Handling.IDENTITY),
    Column(
        "patient_has_regular_gp",
        ColumnType.TEXT,
        "Whether the patient has a regular GP (médecin traitant)",
        True,
        allowed_values=YES_NO_UNKNOWN,
    ),
)

TRIAGE_DECISIONS = (
    "home_visit",
    "centre_consultation",
    "teleconsultation",
    "advice",
    "redirect_emergency",
    "redirect_gp",
    "redirect_pharmacy",
)
ENCOUNTER_TYPES = ("home_visit", "centre_consultation", "teleconsultation")
OUTCOMES = ("home", "gp", "specialist", "emergency_department", "hospitalisation", "death")

CALLS = Entity(
    name="calls",
    description="Calls received by the association's call centre (régulation).",
    key=("association_id", "call_id"),
    columns=(
        Column("call_id", ColumnType.TEXT, "Call identifier, unique within the association", True),
        Column("association_id", ColumnType.TEXT, "Association that received the call", True),
        Column(
            "received_at",
            ColumnType.TIMESTAMP,
            "When the call was received (ISO 8601 with offset)",
            True,
        ),
        Column(
            "channel",
            ColumnType.TEXT,
            "How the call arrived",
            True,
            allowed_values=("phone", "samu_transfer", "web", "app"),
        ),
        Column(
            "caller_relation",
            ColumnType.TEXT,
            "Who called, relative to the patient",
            True,
            allowed_values=("self", "parent", "family", "carer", "professional", "other"),
        ),
        Column(
            "call_reason_code",
            ColumnType.TEXT,
            "Reason for the call, ICPC-2, when coded",
            allowed_values=icpc2_codes(),
        ),
        Column(
            "call_reason_text",
            ColumnType.TEXT,
            "Call reason as typed by the call taker",
            handling=Handling.FREE_TEXT,
        ),
        Column(
            "triage_decision",
            ColumnType.TEXT,
            "What the call taker decided",
            True,
            allowed_values=TRIAGE_DECISIONS,
        ),
        *PATIENT_COLUMNS,
    ),
)

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
        Column(
            "doctor_id",
            ColumnType.TEXT,
            "The association's identifier of the doctor (RPPS or internal)",
            True,
            Handling.PSEUDONYMISED,
        ),
        Column(
            "place",
            ColumnType.TEXT,
            "Where the patient was seen",
            True,
            allowed_values=("home", "nursing_home", "public_place", "centre", "remote"),
        ),
        Column("centre_id", ColumnType.TEXT, "Fixed centre (point fixe), for consultations"),
        Column("started_at", ColumnType.TIMESTAMP, "Start of the encounter", True),
        Column("ended_at", ColumnType.TIMESTAMP, "End of the encounter", True),
        Column(
            "outcome",
            ColumnType.TEXT,
            "Orientation at the end of the encounter",
            True,
            allowed_values=OUTCOMES,
        ),
        Column(
            "gp_handover",
            ColumnType.TEXT,
            "Whether a report was sent to the regular GP",
            True,
            allowed_values=("sent", "not_sent", "no_gp"),
        ),
        *PATIENT_COLUMNS,
    ),
)

DIAGNOSES = Entity(
    name="diagnoses",
    description="Reasons for encounter and diagnoses of an encounter, ICPC-2 coded.",
    key=("association_id", "encounter_id", "position"),
    columns=(
        Column("encounter_id", ColumnType.TEXT, "The encounter", True),
        Column("association_id", ColumnType.TEXT, "Association of the encounter", True),
        Column(
            "position",
            ColumnType.INTEGER,
            "Order of the code within the encounter",
            True,
            minimum=1,
            maximum=20,
        ),
        Column(
            "kind",
            ColumnType.TEXT,
            "Reason for encounter or diagnosis",
            True,
            allowed_values=("reason_for_encounter", "diagnosis"),
        ),
        Column("icpc2_code", ColumnType.TEXT, "ICPC-2 code", True, allowed_values=icpc2_codes()),
        Column("is_primary", ColumnType.BOOLEAN, "The main diagnosis of the encounter", True),
    ),
)

VITAL_SIGNS = Entity(
    name="vital_signs",
    description="Vital signs measured during an encounter (one row per set of measures).",
    key=("association_id", "encounter_id", "measured_at"),
    columns=(
        Column("encounter_id", ColumnType.TEXT, "The encounter", True),
        Column("association_id", ColumnType.TEXT, "Association of the encounter", True),
        Column("measured_at", ColumnType.TIMESTAMP, "When the measures were taken", True),
        Column(
            "temperature_c", ColumnType.DECIMAL, "Body temperature (°C)", minimum=33, maximum=43
        ),
        Column(
            "heart_rate_bpm", ColumnType.INTEGER, "Heart rate (beats/min)", minimum=20, maximum=250
        ),
        Column(
            "spo2_percent", ColumnType.INTEGER, "Oxygen saturation (%)", minimum=50, maximum=100
        ),
        Column(
            "systolic_bp_mmhg",
            ColumnType.INTEGER,
            "Systolic blood pressure (mmHg)",
            minimum=50,
            maximum=260,
        ),
        Column(
            "diastolic_bp_mmhg",
            ColumnType.INTEGER,
            "Diastolic blood pressure (mmHg)",
            minimum=20,
            maximum=160,
        ),
        Column(
            "respiratory_rate_pm",
            ColumnType.INTEGER,
            "Respiratory rate (breaths/min)",
            minimum=5,
            maximum=80,
        ),
    ),
)

PRESCRIPTIONS = Entity(
    name="prescriptions",
    description="Drugs prescribed during an encounter, one row per prescription line.",
    key=("association_id", "encounter_id", "line"),
    columns=(
        Column("encounter_id", ColumnType.TEXT, "The encounter", True),
        Column("association_id", ColumnType.TEXT, "Association of the encounter", True),
        Column(
            "line",
            ColumnType.INTEGER,
            "Line number on the prescription",
            True,
            minimum=1,
            maximum=30,
        ),
        Column("drug_code", ColumnType.TEXT, "CIP13 code of the prescribed presentation", True),
        Column("drug_label", ColumnType.TEXT, "Label of the drug as prescribed", True),
        Column("atc_code", ColumnType.TEXT, "ATC code, when the source software has it"),
        Column(
            "duration_days",
            ColumnType.INTEGER,
            "Duration of the treatment (days)",
            minimum=1,
            maximum=365,
        ),
    ),
)

ENTITIES: dict[str, Entity] = {
    entity.name: entity for entity in (CALLS, ENCOUNTERS, DIAGNOSES, VITAL_SIGNS, PRESCRIPTIONS)
}

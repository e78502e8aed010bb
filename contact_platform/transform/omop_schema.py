"""The dbt YAML of the OMOP models, rendered from OHDSI's CDM 5.4 specification.

Every column gets exactly the specification's type, its not-null and primary-key constraints
(enforced by dbt model contracts, so by PostgreSQL on every insert: required fields and primary
keys need no test) and Data Quality Dashboard-style tests: foreign keys to the other OMOP
tables, concept fields holding valid concepts of the right domain (standard ones unless the
field is a source concept), dates after birth, within the visit and within an observation
period, starts before ends, plausible vital signs (the extract contract's ranges).
`python -m contact_platform.transform.omop_schema --write` rewrites models/omop/_omop.yml; a
test fails when it is stale.
"""

from __future__ import annotations

import sys
from typing import Any

import yaml

from contact_platform.contract.entities import VITAL_SIGNS
from contact_platform.settings import DBT_PROJECT_DIR
from contact_platform.transform.omop_spec import OmopField, omop_fields

SCHEMA_FILE = DBT_PROJECT_DIR / "models" / "omop" / "_omop.yml"

MODELS = {
    "person": "One row per pseudonymous patient, linked across associations and channels.",
    "observation_period": "One period per person, from their first to their last contact.",
    "visit_occurrence": "Every call (telephone regulation) and every encounter (home visit, "
    "fixed-centre consultation, teleconsultation).",
    "visit_detail": "The legs of each care episode: the call, its triage, the doctor's visit.",
    "condition_occurrence": "ICPC-2 diagnoses, with their standard concept when mapped.",
    "observation": "Reasons for encounter, call reasons, triage decisions, regular GP known, "
    "orientation and handover to the GP.",
    "measurement": "Vital signs (LOINC) with UCUM units.",
    "drug_exposure": "Prescription lines (CIP13 source codes).",
    "note": "The call taker's note of each call, scrubbed of identifiers at ingestion.",
    "death": "Deaths certified during an encounter.",
    "provider": "SOS Médecins doctors, known by a keyed pseudonym only.",
    "care_site": "Associations and their fixed consultation centres.",
    "location": "Communes of residence and départements (never an address).",
    "episode": "Acute care episodes: a call and the encounters it led to.",
    "episode_event": "The visits and diagnoses of each acute care episode.",
    "cdm_source": "What this OMOP database is: source, holder, CDM and vocabulary versions.",
}

COLUMN_NOTES = {
    ("person", "day_of_birth"): "Always null: the day of birth never leaves ingestion "
    "(minimisation).",
    ("person", "birth_datetime"): "Always null: the date of birth never leaves ingestion "
    "(minimisation).",
    ("person", "person_source_value"): "The linked person key (a keyed pseudonym).",
    ("provider", "provider_source_value"): "Association and keyed pseudonym of the doctor.",
    ("visit_occurrence", "visit_source_value"): "call, home_visit, centre_consultation or "
    "teleconsultation.",
    ("visit_occurrence", "discharged_to_source_value"): "The triage decision of a call, the "
    "orientation of an encounter.",
}

# The specification's fkDomain of a disease episode's object omits Condition, which its own ETL
# conventions require ("Disease Episode ... episode_object_concept_id from the Condition domain").
DOMAINS = {("episode", "episode_object_concept_id"): "Condition, Procedure, Regimen"}
# Concept fields that hold non-standard concepts by design.
NON_STANDARD = {"episode_event_field_concept_id"}
# The date that places each event: after birth, within its visit, within an observation period.
EVENT_DATES = {
    "visit_occurrence": "visit_start_date",
    "visit_detail": "visit_detail_start_date",
    "condition_occurrence": "condition_start_date",
    "observation": "observation_date",
    "measurement": "measurement_date",
    "drug_exposure": "drug_exposure_start_date",
    "note": "note_date",
    "episode": "episode_start_date",
    "death": "death_date",
}
WITHIN_VISIT = set(EVENT_DATES) - {"visit_occurrence", "episode", "death"}
START_END = {
    "observation_period": ("observation_period_start_date", "observation_period_end_date"),
    "visit_occurrence": ("visit_start_datetime", "visit_end_datetime"),
    "visit_detail": ("visit_detail_start_datetime", "visit_detail_end_datetime"),
    "drug_exposure": ("drug_exposure_start_date", "drug_exposure_end_date"),
    "episode": ("episode_start_datetime", "episode_end_datetime"),
}
VITAL_SIGN_CONCEPTS = {
    "temperature_c": 3020891,
    "heart_rate_bpm": 3027018,
    "spo2_percent": 40762499,
    "systolic_bp_mmhg": 3004249,
    "diastolic_bp_mmhg": 3012888,
    "respiratory_rate_pm": 3024171,
}


def _description(field: OmopField) -> str:
    note = COLUMN_NOTES.get((field.table, field.name))
    if note:
        return note
    first_sentence = field.guidance.split(". ")[0].strip().rstrip(".")
    return f"{first_sentence}." if first_sentence else field.name


def _column_tests(field: OmopField) -> list[Any]:
    """The tests the database does not already enforce: required fields and primary keys are
    constraints of the contract (a null or a duplicate fails the model's own insert), so they
    get no not_null or unique test re-reading the table each run."""
    tests: list[Any] = []
    if field.foreign_table == "concept":
        standard = not field.name.endswith("source_concept_id") and field.name not in NON_STANDARD
        arguments: dict[str, Any] = {"standard": standard}
        domain = DOMAINS.get((field.table, field.name), field.domain)
        if domain:
            arguments["domain"] = domain
        tests.append({"valid_concept": {"arguments": arguments}})
    elif field.foreign_table in MODELS:
        tests.append(
            {
                "relationships": {
                    "arguments": {
                        "to": f"ref('{field.foreign_table}')",
                        "field": field.foreign_field,
                    }
                }
            }
        )
    if EVENT_DATES.get(field.table) == field.name:
        tests.append("after_birth")
        tests.append("within_observation_period")
        if field.table in WITHIN_VISIT:
            tests.append("within_visit")
    if (field.table, field.name) == ("person", "person_id"):
        tests.append("has_observation_period")
    if (field.table, field.name) == ("measurement", "value_as_number"):
        ranges = {
            VITAL_SIGN_CONCEPTS[column.name]: [column.minimum, column.maximum]
            for column in VITAL_SIGNS.columns
            if column.name in VITAL_SIGN_CONCEPTS
        }
        tests.append(
            {
                "plausible_values": {
                    "arguments": {"concept_column": "measurement_concept_id", "ranges": ranges}
                }
            }
        )
    return tests


def _column(field: OmopField) -> dict[str, Any]:
    column: dict[str, Any] = {
        "name": field.name,
        "data_type": field.data_type,
        "description": _description(field),
    }
    constraints = []
    if field.required:
        constraints.append({"type": "not_null"})
    if field.primary_key:
        constraints.append({"type": "primary_key"})
    if constraints:
        column["constraints"] = constraints
    tests = _column_tests(field)
    if tests:
        column["data_tests"] = tests
    return column


def _model(table: str, description: str) -> dict[str, Any]:
    model: dict[str, Any] = {
        "name": table,
        "description": f"OMOP CDM 5.4 {table.upper()}: {description}",
        "config": {"contract": {"enforced": True}},
        "columns": [_column(field) for field in omop_fields(table)],
    }
    model_tests: list[Any] = []
    if table in START_END:
        start, end = START_END[table]
        model_tests.append(
            {"start_before_end": {"arguments": {"start_column": start, "end_column": end}}}
        )
    if table == "observation_period":
        model_tests.append("no_overlapping_periods")
    if model_tests:
        model["data_tests"] = model_tests
    return model


def render() -> str:
    """The _omop.yml the OMOP models must have."""
    document = {"version": 2, "models": [_model(t, d) for t, d in MODELS.items()]}
    header = (
        "# Generated from dbt_project/reference/OMOP_CDMv5.4_Field_Level.csv by\n"
        "# `python -m contact_platform.transform.omop_schema --write`: do not edit by hand.\n"
    )
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    if "--write" in sys.argv:
        SCHEMA_FILE.write_text(render(), encoding="utf-8")
        print(SCHEMA_FILE)
    else:
        sys.stdout.write(render())

"""Expectation suites stored as JSON under expectations/, generated from the extract contract.

`contact quality write-suites` regenerates them; a test fails when the stored JSON and the
contract disagree, so the suites can be reviewed in git and never drift from the contract.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contact_platform.contract import ENTITIES, Entity, Handling
from contact_platform.ingest.loader import LOADED_AT_COLUMN
from contact_platform.ingest.pseudonymise import raw_columns
from contact_platform.settings import EXPECTATIONS_DIR

Suite = dict[str, Any]

# Business rules the contract's column list cannot express, per entity.
_BUSINESS_RULES: dict[str, list[dict[str, Any]]] = {
    "encounters": [
        {
            "type": "expect_column_pair_values_a_to_be_greater_than_b",
            "kwargs": {"column_A": "ended_at", "column_B": "started_at", "or_equal": True},
            "meta": {"rule": "an encounter ends after it starts"},
        },
    ],
    "vital_signs": [
        {
            "type": "expect_column_pair_values_a_to_be_greater_than_b",
            "kwargs": {
                "column_A": "systolic_bp_mmhg",
                "column_B": "diastolic_bp_mmhg",
                "ignore_row_if": "either_value_is_missing",
            },
            "meta": {"rule": "systolic pressure above diastolic"},
        },
    ],
}
_PATIENT_RULES: list[dict[str, Any]] = [
    {
        "type": "expect_column_values_to_be_in_set",
        "kwargs": {"column": "patient_sex", "value_set": ["M", "F", "U"]},
        "meta": {"rule": "sex is coded M, F or U"},
    },
    {
        "type": "expect_column_values_to_be_between",
        "kwargs": {"column": "patient_birth_year", "min_value": 1900, "max_value": 2100},
        "meta": {"rule": "plausible year of birth"},
    },
]


def suite_name(entity: Entity) -> str:
    return f"raw_{entity.name}"


def suite_path(entity: Entity) -> Path:
    return EXPECTATIONS_DIR / f"{suite_name(entity)}.json"


def suite_from_contract(entity: Entity) -> Suite:
    """The suite of the raw table of `entity`: its columns, required values and value sets."""
    columns = [name for name, _ in raw_columns(entity)] + [LOADED_AT_COLUMN[0]]
    expectations: list[dict[str, Any]] = [
        {
            "type": "expect_table_row_count_to_be_between",
            "kwargs": {"min_value": 1},
            "meta": {"rule": "a delivered table is not empty"},
        },
        {
            "type": "expect_table_columns_to_match_set",
            "kwargs": {"column_set": columns, "exact_match": True},
            "meta": {"rule": "columns of the contract"},
        },
    ]
    for column in entity.columns:
        if column.handling is Handling.IDENTITY:
            continue
        if column.required:
            expectations.append(
                {
                    "type": "expect_column_values_to_not_be_null",
                    "kwargs": {"column": column.name},
                    "meta": {"rule": "required by the contract"},
                }
            )
        if column.allowed_values:
            expectations.append(
                {
                    "type": "expect_column_values_to_be_in_set",
                    "kwargs": {"column": column.name, "value_set": list(column.allowed_values)},
                    "meta": {"rule": "value set of the contract"},
                }
            )
        if column.minimum is not None or column.maximum is not None:
            expectations.append(
                {
                    "type": "expect_column_values_to_be_between",
                    "kwargs": {
                        "column": column.name,
                        "min_value": column.minimum,
                        "max_value": column.maximum,
                    },
                    "meta": {"rule": "plausible range of the contract"},
                }
            )
    if entity.describes_patient:
        expectations += _PATIENT_RULES
    expectations += _BUSINESS_RULES.get(entity.name, [])
    return {
        "name": suite_name(entity),
        "expectations": expectations,
        "meta": {"generated_from": "contact_platform.contract", "entity": entity.name},
    }


def load_suite(path: Path) -> Suite:
    return json.loads(path.read_text(encoding="utf-8"))


def render(suite: Suite) -> str:
    return json.dumps(suite, indent=2, ensure_ascii=False) + "\n"


def write_suites() -> list[Path]:
    """Regenerate every contract-derived suite under expectations/."""
    written = []
    for entity in ENTITIES.values():
        path = suite_path(entity)
        path.write_text(render(suite_from_contract(entity)), encoding="utf-8")
        written.append(path)
    return written

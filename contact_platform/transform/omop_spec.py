"""The official OMOP CDM 5.4 field specification, as PostgreSQL columns.

The CSV shipped in dbt_project/reference is OHDSI's; the model contracts in models/omop are
checked against it by the tests, so the OMOP layer cannot drift from the standard.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from contact_platform.settings import DBT_PROJECT_DIR

FIELD_SPEC = DBT_PROJECT_DIR / "reference" / "OMOP_CDMv5.4_Field_Level.csv"


@dataclass(frozen=True)
class OmopField:
    table: str
    name: str
    data_type: str
    required: bool
    primary_key: bool
    foreign_table: str | None
    foreign_field: str | None
    domain: str | None  # the concept domain a concept field must hold (OHDSI's fkDomain)
    guidance: str


def postgres_type(cdm_datatype: str) -> str:
    """PostgreSQL type of a CDM datatype, as in OHDSI's PostgreSQL DDL."""
    cdm = cdm_datatype.lower()
    if cdm == "datetime":
        return "timestamp"
    if cdm == "float":
        return "numeric"
    if cdm == "varchar(max)":
        return "text"
    return cdm


@cache
def omop_fields(table: str) -> tuple[OmopField, ...]:
    """The fields of `table` in specification order."""
    with FIELD_SPEC.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["cdmTableName"].lower() == table]
    if not rows:
        raise KeyError(f"{table} is not an OMOP CDM 5.4 table")
    return tuple(
        OmopField(
            table=table,
            name=row["cdmFieldName"].lower(),
            data_type=postgres_type(row["cdmDatatype"]),
            required=row["isRequired"] == "Yes",
            primary_key=row["isPrimaryKey"] == "Yes",
            foreign_table=row["fkTableName"].lower() if row["fkTableName"] != "NA" else None,
            foreign_field=row["fkFieldName"].lower() if row["fkFieldName"] != "NA" else None,
            domain=row["fkDomain"] if row["fkDomain"] != "NA" else None,
            guidance=row["userGuidance"] if row["userGuidance"] != "NA" else "",
        )
        for row in rows
    )

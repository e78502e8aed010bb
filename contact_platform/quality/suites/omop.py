"""Suites of the OMOP tables, generated from the official CDM 5.4 field specification: the
table in the warehouse has exactly the specified fields, and no end precedes its start (dates
and datetimes). Required fields are NOT NULL constraints of the enforced dbt contracts, so a
suite could never see them empty; vocabulary conformance (domains, standard concepts), visits,
observation periods and plausible values per concept are the Data Quality Dashboard-style dbt
tests of _omop.yml. Each rule is written once, where it runs cheapest."""

from __future__ import annotations

from contact_platform.quality.suites import expectation as ex
from contact_platform.quality.suites.expectation import Expectation, Suite
from contact_platform.settings import DBT_PROJECT_DIR
from contact_platform.transform.omop_spec import OmopField, omop_fields
from contact_platform.vocabulary.tables import VOCAB_SCHEMA, VOCABULARY_TABLES

# What the specification leaves to conventions (OHDSI's Data Quality Dashboard).
_CONVENTIONS: dict[str, list[Expectation]] = {
    "cdm_source": [
        ex.row_count(1, 1, "one row describes the CDM instance"),
    ],
    "person": [
        ex.not_empty("persons were linked"),
        ex.between("year_of_birth", "born after 1900", 1900),
        ex.between("month_of_birth", "a month of birth is 1 to 12", 1, 12),
    ],
    "visit_occurrence": [ex.not_empty("visits were built")],
    "measurement": [ex.between("value_as_number", "a measured value is not negative", 0)],
}


def omop_tables() -> list[str]:
    """The OMOP tables CONTACT builds: one dbt model each in models/omop."""
    return sorted(path.stem for path in (DBT_PROJECT_DIR / "models" / "omop").glob("*.sql"))


def _time_order(fields: tuple[OmopField, ...]) -> list[Expectation]:
    names = {field.name for field in fields}
    pairs = [
        (name, name.replace("_start_", "_end_"))
        for name in sorted(names)
        if "_start_date" in name and name.replace("_start_", "_end_") in names
    ]
    return [ex.not_before(end, start, f"{end} is not before {start}") for start, end in pairs]


def omop_suite(table: str, schema: str = "omop") -> Suite:
    """The suite of an OMOP table, clinical (schema omop) or vocabulary (schema vocab)."""
    fields = omop_fields(table)
    expectations: list[Expectation] = [
        ex.columns_are((field.name for field in fields), "the fields of OMOP CDM 5.4"),
        *_time_order(fields),
        *_CONVENTIONS.get(table, []),
    ]
    return ex.suite(
        f"{schema}_{table}",
        expectations,
        generated_from="dbt_project/reference/OMOP_CDMv5.4_Field_Level.csv",
        table=table,
    )


def omop_suites() -> list[Suite]:
    return [omop_suite(table) for table in omop_tables()]


def vocabulary_suites() -> list[Suite]:
    """The vocabulary tables follow the same specification (valid_end_date after
    valid_start_date included); vocabulary content is checked by the dbt tests that use it."""
    return [omop_suite(table, VOCAB_SCHEMA) for table in VOCABULARY_TABLES]

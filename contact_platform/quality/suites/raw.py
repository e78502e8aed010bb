"""Suites of the raw schema: one per contract entity, generated from the extract contract, and
one per bookkeeping table of the loader (with the volume band of deliveries)."""

from __future__ import annotations

from contact_platform.contract import CONTRACT_VERSION, ENTITIES, Column, Entity, Handling
from contact_platform.ingest.loader import LOADED_AT_COLUMN
from contact_platform.ingest.pseudonymise import raw_columns
from contact_platform.quality.suites import expectation as ex
from contact_platform.quality.suites.expectation import Expectation, Suite

ENCOUNTER_ORDER = ex.not_before("ended_at", "started_at", "an encounter ends after it starts")
BLOOD_PRESSURE = ex.greater(
    "systolic_bp_mmhg", "diastolic_bp_mmhg", "systolic pressure above diastolic"
)
# Business rules the contract's column list cannot express, per entity.
_BUSINESS_RULES: dict[str, list[Expectation]] = {
    "encounters": [ENCOUNTER_ORDER],
    "vital_signs": [BLOOD_PRESSURE],
}
PATIENT_RULES: list[Expectation] = [
    ex.in_set("patient_sex", ["M", "F", "U"], "sex is coded M, F or U"),
    ex.between("patient_birth_year", "plausible year of birth", 1900, 2100),
]
# An invalid NIR pseudonymises to nothing: the person is then linked on traits alone.
_NIR_RULE = ex.in_set(
    "patient_nir_status", ["valid", "absent"], "a NIR, when given, has a valid control key"
)

# A delivery's rows against the same association's deliveries of the 28 days before (same
# entity, same kind of period): outside half the smallest or twice the largest, something was
# lost or doubled on the way. Needs 14 earlier deliveries averaging 20 rows, below which
# day-to-day noise is larger than any band. The band is learnt from every delivery file; only
# the validated rows (all, or the recent ones of a routine run) are judged against it.
VOLUME_BAND_QUERY = """
WITH history AS (
    SELECT f.delivery_id, f.entity, f.row_count,
           count(*) OVER recent AS deliveries,
           min(f.row_count) OVER recent AS smallest,
           max(f.row_count) OVER recent AS largest,
           avg(f.row_count) OVER recent AS mean_rows
    FROM raw.delivery_files AS f
    JOIN raw.deliveries AS d USING (delivery_id)
    WINDOW recent AS (
        PARTITION BY d.association_id, f.entity, length(d.period)
        ORDER BY d.period_start
        RANGE BETWEEN INTERVAL '28 days' PRECEDING AND INTERVAL '1 second' PRECEDING
    )
)
SELECT h.delivery_id, h.entity FROM history AS h
WHERE h.delivery_id IN (SELECT x.delivery_id FROM {rows} AS x)
  AND h.deliveries >= 14 AND h.mean_rows >= 20
  AND (h.row_count < h.smallest / 2.0 OR h.row_count > h.largest * 2.0)
"""


def contract_rules(column: Column) -> list[Expectation]:
    """What the contract says of a column's values: required, value set, plausible range."""
    rules = []
    if column.required:
        rules.append(ex.not_null(column.name, "required by the contract"))
    if column.allowed_values:
        rules.append(ex.in_set(column.name, column.allowed_values, "value set of the contract"))
    if column.minimum is not None or column.maximum is not None:
        rules.append(
            ex.between(
                column.name, "plausible range of the contract", column.minimum, column.maximum
            )
        )
    return rules


def raw_suite(entity: Entity) -> Suite:
    """The suite of the raw table of `entity`: its columns, key, required values and value sets."""
    columns = [name for name, _ in raw_columns(entity)] + [LOADED_AT_COLUMN[0]]
    expectations: list[Expectation] = [
        ex.not_empty("a delivered table is not empty"),
        ex.columns_are(columns, "columns of the contract"),
        ex.unique_key(
            ["delivery_id", *entity.key], f"one row per {', '.join(entity.key)} in a delivery"
        ),
    ]
    for column in entity.columns:
        if column.handling is not Handling.IDENTITY:
            expectations += contract_rules(column)
    if entity.describes_patient:
        expectations += [*PATIENT_RULES, _NIR_RULE]
    expectations += _BUSINESS_RULES.get(entity.name, [])
    return ex.suite(
        f"raw_{entity.name}",
        expectations,
        generated_from="contact_platform.contract",
        entity=entity.name,
    )


def deliveries_suite() -> Suite:
    return ex.suite(
        "raw_deliveries",
        [
            ex.in_set(
                "contract_version", [CONTRACT_VERSION], "deliveries follow this contract version"
            ),
            ex.between("sequence", "sequence numbers start at 1", 1),
            ex.not_before("produced_at", "period_start", "a delivery is produced after it starts"),
        ],
    )


def delivery_files_suite() -> Suite:
    return ex.suite(
        "raw_delivery_files",
        [
            ex.in_set("entity", list(ENTITIES), "files of the contract's entities"),
            ex.between(
                "rejected_rows",
                "every delivered row could be typed (the rejects say where; a corrected "
                "re-delivery replaces the delivery)",
                0,
                0,
            ),
            ex.no_rows(
                VOLUME_BAND_QUERY,
                "a delivery's row count is within the band of the association's trailing 28 days",
                column="row_count",
            ),
        ],
    )


def rejects_suite() -> Suite:
    return ex.suite(
        "raw_rejects",
        [
            ex.in_set("entity", list(ENTITIES), "rejects of the contract's entities"),
            ex.between("line", "a reject names a data line (the header is line 1)", 2),
            ex.not_null("reason", "a reject says why"),
        ],
    )


def raw_suites() -> list[Suite]:
    return [
        *(raw_suite(entity) for entity in ENTITIES.values()),
        deliveries_suite(),
        delivery_files_suite(),
        rejects_suite(),
    ]

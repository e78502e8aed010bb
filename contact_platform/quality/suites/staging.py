"""Suites of the staging models: columns as documented in dbt, the contract's rules for the
columns staging keeps, and the rules of an episode (an encounter's call was delivered, nothing
happens before its call or outside its encounter). That every diagnosis, vital sign and
prescription has its encounter is a dbt relationships test of _staging.yml: written once."""

from __future__ import annotations

from contact_platform.contract import ENTITIES, Entity, Handling
from contact_platform.quality.suites import expectation as ex
from contact_platform.quality.suites.documented import documented_columns
from contact_platform.quality.suites.expectation import Expectation, Suite
from contact_platform.quality.suites.raw import (
    BLOOD_PRESSURE,
    ENCOUNTER_ORDER,
    PATIENT_RULES,
    contract_rules,
)

_EPISODE_RULES: dict[str, list[Expectation]] = {
    "encounters": [
        ENCOUNTER_ORDER,
        # Records from the day of the oldest call kept or earlier may have lost theirs to
        # retention. By day, through the calls' index on it: the oldest instant was a scan of
        # every call kept (1.1 s of each routine validation after a national year).
        ex.no_rows(
            """SELECT x.delivery_id FROM {rows} AS x
               WHERE x.call_key IS NOT NULL
                 AND x.started_local_date
                     > (SELECT min(received_local_date) FROM staging.stg_calls)
                 AND NOT EXISTS (SELECT 1 FROM staging.stg_calls AS c
                                 WHERE c.call_key = x.call_key)""",
            "an encounter's call was delivered",
            column="call_key",
        ),
        ex.no_rows(
            """SELECT x.delivery_id FROM {rows} AS x
               JOIN staging.stg_calls AS c ON c.call_key = x.call_key
               WHERE x.started_at < c.received_at""",
            "an encounter starts after the call that asked for it",
            column="started_at",
        ),
    ],
    "vital_signs": [
        BLOOD_PRESSURE,
        ex.no_rows(
            """SELECT x.delivery_id FROM {rows} AS x
               JOIN staging.stg_encounters AS e ON e.encounter_key = x.encounter_key
               WHERE x.measured_at < e.started_at OR x.measured_at > e.ended_at""",
            "vital signs are measured during their encounter",
            column="measured_at",
        ),
    ],
}


def staging_suite(entity: Entity) -> Suite:
    model = f"stg_{entity.name}"
    columns = documented_columns("staging", model)
    expectations: list[Expectation] = [
        ex.not_empty(),
        ex.columns_are(columns, "columns documented in _staging.yml"),
    ]
    for column in entity.columns:
        if column.handling is Handling.KEEP and column.name in columns:
            expectations += contract_rules(column)
    if entity.describes_patient:
        expectations += PATIENT_RULES
    expectations += _EPISODE_RULES.get(entity.name, [])
    return ex.suite(
        f"staging_{model}",
        expectations,
        generated_from="contact_platform.contract and dbt_project/models/staging/_staging.yml",
        entity=entity.name,
    )


def staging_suites() -> list[Suite]:
    return [staging_suite(entity) for entity in ENTITIES.values()]

"""Suites of what analysts and operators read besides OMOP: the surveillance marts and the
delivery completeness report. Columns as their YAML documents them; counts never negative and
never a small count that could single a patient out."""

from __future__ import annotations

from contact_platform.quality.suites import expectation as ex
from contact_platform.quality.suites.documented import documented_columns
from contact_platform.quality.suites.expectation import Expectation, Suite

# No configuration lowers the marts' small-count threshold below this (models/marts).
SMALL_COUNT_FLOOR = 5

_MART_COUNTS = {
    "mart_daily_activity": [
        "calls",
        "home_visits",
        "centre_consultations",
        "teleconsultations",
        "encounters",
    ],
    "mart_weekly_diagnoses": ["encounters", "week_department_total"],
}
_MART_RULES: dict[str, list[Expectation]] = {
    "mart_daily_activity": [
        ex.between("coded_diagnosis_share", "a share is between 0 and 1", 0, 1),
    ],
}


def _small_counts_hidden(counts: list[str]) -> Expectation:
    shown_small = " OR ".join(f"{count} BETWEEN 1 AND {SMALL_COUNT_FLOOR - 1}" for count in counts)
    return ex.no_rows(
        f"SELECT 1 FROM {{rows}} AS x WHERE {shown_small}",
        f"no published count from 1 to {SMALL_COUNT_FLOOR - 1} (small counts are hidden)",
    )


def mart_suite(model: str) -> Suite:
    counts = _MART_COUNTS[model]
    return ex.suite(
        f"marts_{model}",
        [
            ex.columns_are(documented_columns("marts", model), "columns documented in _marts.yml"),
            *(ex.between(count, "counts are not negative", 0) for count in counts),
            _small_counts_hidden(counts),
            *_MART_RULES.get(model, []),
        ],
        generated_from="dbt_project/models/marts/_marts.yml",
    )


def completeness_suite() -> Suite:
    model = "ops_delivery_completeness"
    return ex.suite(
        f"operations_{model}",
        [
            ex.columns_are(
                documented_columns("operations", model), "columns documented in _operations.yml"
            ),
            ex.not_null("association_id", "a row per association and day"),
            ex.not_null("delivery_day", "a row per association and day"),
            *(
                ex.between(count, "counts are not negative", 0)
                for count in ("deliveries_expected", "deliveries_received", "rows_loaded")
            ),
        ],
        generated_from="dbt_project/models/operations/_operations.yml",
    )


def published_suites() -> list[Suite]:
    return [*(mart_suite(model) for model in _MART_COUNTS), completeness_suite()]

"""Running a stored suite against a warehouse table with Great Expectations 1.x.

A table asset makes GE push every expectation down to SQL: no table is pulled into pandas.
The outcome keeps what a data engineer needs (which expectation failed, on which column, how
many rows) and sample values only from code columns, never identifiers or free text.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import great_expectations as gx
from great_expectations.expectations import UnexpectedRowsExpectation

from contact_platform.quality.data_docs import DataDocs
from contact_platform.quality.suites import Suite
from contact_platform.quality.window import record_pass, rows_to_validate
from contact_platform.warehouse.connection import sqlalchemy_url

# Expectations whose failing values may be shown as samples: codes, never identifiers or text.
_SAMPLE_SAFE_TYPES = {"expect_column_values_to_be_in_set", "expect_column_values_to_be_between"}
_SAMPLE_SIZE = 5
NO_ROWS = "expect_query_to_return_no_rows"
# Expectations about a whole table, which a window of its recent rows cannot answer.
_WHOLE_TABLE_TYPES = {"expect_table_row_count_to_be_between"}


class ExpectQueryToReturnNoRows(UnexpectedRowsExpectation):
    """GE's unexpected-rows expectation, counting only: the parent also fetches every row of
    the query, a second run of it that no result format below COMPLETE shows."""

    metric_dependencies: ClassVar[tuple[str, ...]] = ("unexpected_rows_query.row_count",)

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict:
        count = metrics["unexpected_rows_query.row_count"]
        return {"success": count == 0, "result": {"observed_value": count}}


@dataclass(frozen=True)
class FailedExpectation:
    expectation: str
    column: str | None
    rule: str
    unexpected_count: int | None
    sample_values: tuple[Any, ...] = ()

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        count = f" ({self.unexpected_count} rows)" if self.unexpected_count is not None else ""
        sample = f", e.g. {', '.join(map(str, self.sample_values))}" if self.sample_values else ""
        return f"{self.expectation}{where}{count}: {self.rule}{sample}"


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    success: bool
    evaluated: int
    failed: list[FailedExpectation] = field(default_factory=list)
    validated_rows: str = "all"

    @property
    def success_percent(self) -> float:
        if not self.evaluated:
            return 100.0
        return round(100.0 * (self.evaluated - len(self.failed)) / self.evaluated, 1)


def validate_table(
    url: str,
    schema: str,
    table: str,
    suite: Suite,
    docs: DataDocs | None = None,
    window_days: int | None = None,
) -> SuiteOutcome:
    """Run `suite` on `schema.table` of the warehouse at `url`: on every row, or with
    `window_days` on the rows changed since the suite last passed (quality/window.py), leaving
    out the expectations only the whole table can answer. With `docs`, store the result under its
    root, for the Data Docs site to render when it is looked at."""
    with rows_to_validate(url, schema, table, suite["name"], window_days) as relation:
        if relation.changed_after is not None:
            expectations = [e for e in suite["expectations"] if e["type"] not in _WHOLE_TABLE_TYPES]
            meta = {**suite.get("meta", {}), "validated_rows": relation.described}
            suite = {**suite, "expectations": expectations, "meta": meta}
        outcome = _validate(url, relation.schema, relation.table, suite, docs)
    if outcome.success:
        record_pass(url, suite["name"], relation.started)
    return replace(outcome, validated_rows=relation.described)


def _validate(
    url: str, schema: str, table: str, suite: Suite, docs: DataDocs | None
) -> SuiteOutcome:
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    if docs is not None:
        docs.prune(suite["name"])
        context = gx.get_context(project_config=docs.context_config(), mode="ephemeral")
    else:
        context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    with warnings.catch_warnings():
        # The Postgres datasource refuses socket URLs (no host); the generic one runs the same SQL.
        warnings.simplefilter("ignore")
        source = context.data_sources.add_sql(
            name="warehouse", connection_string=sqlalchemy_url(url)
        )
    asset = source.add_table_asset(name=suite["name"], table_name=table, schema_name=schema)
    batch = asset.add_batch_definition_whole_table("whole_table")
    expectation_suite = context.suites.add_or_update(gx.ExpectationSuite(**suite))
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite["name"], data=batch, suite=expectation_suite)
    )
    # A passing suite needs only the counts GE bundles into one query per table; the failing
    # values (counts and samples) are fetched only when something failed. With `docs`, the
    # result is stored under its root; its page is rendered with the site (data_docs.py).
    result = definition.run(result_format="BOOLEAN_ONLY")
    if not result.success:
        result = definition.run(result_format="SUMMARY")
    failed = [_failure(outcome) for outcome in result.results if not outcome.success]
    return SuiteOutcome(suite["name"], bool(result.success), len(result.results), failed)


def _error(info: dict[str, Any]) -> str | None:
    """The message of an expectation that could not run: GE gives it directly or, for query
    expectations, per metric."""
    if "exception_message" in info:
        return info["exception_message"]
    nested = [value for value in info.values() if isinstance(value, dict)]
    return next((value.get("exception_message") for value in nested), None)


def _failure(outcome: Any) -> FailedExpectation:
    config = outcome.expectation_config
    details = outcome.result or {}
    sample: tuple[Any, ...] = ()
    if config.type in _SAMPLE_SAFE_TYPES:
        sample = tuple(details.get("partial_unexpected_list") or ())[:_SAMPLE_SIZE]
    error = _error(outcome.exception_info or {})
    meta = config.meta or {}
    rule = meta.get("rule", "")
    count = details.get("unexpected_count")
    if config.type == NO_ROWS:  # its rows are counted, never shown
        count = details.get("observed_value")
    return FailedExpectation(
        expectation=config.type,
        column=config.kwargs.get("column") or meta.get("column"),
        rule=f"{rule} [error: {error}]" if error else rule,
        unexpected_count=count,
        sample_values=sample,
    )

"""Builders of the expectations the suites are made of, in the JSON form GE 1.x reads back.

Every expectation carries a `rule` (meta) in plain words: it is what a data engineer reads in
the Dagster UI when the expectation fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Expectation = dict[str, Any]
Suite = dict[str, Any]


def _expectation(kind: str, rule: str, **kwargs: Any) -> Expectation:
    return {"type": kind, "kwargs": kwargs, "meta": {"rule": rule}}


def suite(name: str, expectations: Iterable[Expectation], **meta: Any) -> Suite:
    return {"name": name, "expectations": list(expectations), "meta": meta}


def row_count(low: int, high: int | None, rule: str) -> Expectation:
    return _expectation("expect_table_row_count_to_be_between", rule, min_value=low, max_value=high)


def not_empty(rule: str = "the table is not empty") -> Expectation:
    return row_count(1, None, rule)


def columns_are(columns: Iterable[str], rule: str) -> Expectation:
    return _expectation(
        "expect_table_columns_to_match_set", rule, column_set=list(columns), exact_match=True
    )


def not_null(column: str, rule: str) -> Expectation:
    return _expectation("expect_column_values_to_not_be_null", rule, column=column)


def in_set(column: str, values: Iterable[Any], rule: str) -> Expectation:
    return _expectation(
        "expect_column_values_to_be_in_set", rule, column=column, value_set=list(values)
    )


def between(
    column: str, rule: str, low: float | None = None, high: float | None = None
) -> Expectation:
    return _expectation(
        "expect_column_values_to_be_between", rule, column=column, min_value=low, max_value=high
    )


def _pair(larger: str, smaller: str, rule: str, or_equal: bool) -> Expectation:
    expectation = _expectation(
        "expect_column_pair_values_a_to_be_greater_than_b",
        rule,
        column_A=larger,
        column_B=smaller,
        ignore_row_if="either_value_is_missing",
    )
    if or_equal:
        expectation["kwargs"]["or_equal"] = True
    return expectation


def not_before(later: str, earlier: str, rule: str) -> Expectation:
    """`later` is on or after `earlier` wherever both are known."""
    return _pair(later, earlier, rule, or_equal=True)


def greater(larger: str, smaller: str, rule: str) -> Expectation:
    """`larger` is strictly above `smaller` wherever both are known."""
    return _pair(larger, smaller, rule, or_equal=False)


def no_rows(query: str, rule: str, column: str | None = None) -> Expectation:
    """No row of `query`, SQL over `{rows}` (the validated table, to be aliased): for rules
    across rows or tables. The query runs in the warehouse and its rows are counted, never
    shown; select what locates a problem (the delivery), never who."""
    # GE substitutes {batch} with an already aliased subquery: wrap it so that it can be named.
    sql = " ".join(query.split()).replace("{rows}", "(SELECT * FROM {batch})")
    # GE's unexpected_rows_expectation, counting only (quality/validation.py).
    expectation = _expectation("expect_query_to_return_no_rows", rule, unexpected_rows_query=sql)
    if column:
        expectation["meta"]["column"] = column
    return expectation


def unique_key(columns: Iterable[str], rule: str) -> Expectation:
    """No two rows share `columns` (the first names the delivery, all the failing rows show):
    a grouping the warehouse does in one pass, where GE's own uniqueness expectation runs a
    window over the whole table."""
    columns = list(columns)
    key = ", ".join(columns)
    return no_rows(
        f"SELECT {columns[0]} FROM {{rows}} AS x GROUP BY {key} HAVING count(*) > 1", rule
    )

"""Streaming reader of an extract file: checks structure and types against the contract.

Value sets and business rules are left to the Great Expectations suites; this reader only makes
sure each row can be typed. A violation names the file, line and column and the class of the bad
value, never the value itself, which may identify a patient.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from contact_platform.contract.entities import DELIMITER, ENCODING, ColumnType, Entity

Record = dict[str, object]


class ContractViolation(ValueError):
    """A file that does not meet the contract; it is quarantined whole, never half-loaded."""

    def __init__(self, path: Path, line: int, column: str | None, reason: str) -> None:
        self.path, self.line, self.column, self.reason = path, line, column, reason
        where = f"{path.name}, line {line}" + (f", column {column}" if column else "")
        super().__init__(f"{where}: {reason}")


def _parse_timestamp(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("timestamp without a UTC offset")
    return value.astimezone(UTC)


def _parse_boolean(text: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError(text)
    return text == "true"


def _parse_decimal(text: str) -> Decimal:
    """Exactly as delivered: a float would round some decimals and drop trailing zeros."""
    if not _DECIMAL.match(text):
        raise ValueError(text)
    return Decimal(text)


_DECIMAL = re.compile(r"^-?\d+(?:\.\d+)?$")

_PARSERS: dict[ColumnType, tuple[Callable[[str], object], str]] = {
    ColumnType.TEXT: (str, "text"),
    ColumnType.INTEGER: (int, "an integer"),
    ColumnType.DECIMAL: (_parse_decimal, "a decimal number with a point"),
    ColumnType.BOOLEAN: (_parse_boolean, "true or false"),
    ColumnType.DATE: (date.fromisoformat, "a date (YYYY-MM-DD)"),
    ColumnType.TIMESTAMP: (_parse_timestamp, "a timestamp with offset (ISO 8601)"),
}


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be typed: where, and what kind of value, never the value itself."""

    line: int
    column: str | None
    value_class: str
    reason: str


def value_class(text: str) -> str:
    """A description of a value that reveals nothing of it: its shape and length."""
    if text == "":
        return "empty"
    shape = (
        "digits"
        if text.isdigit()
        else "letters"
        if text.isalpha()
        else "date-like"
        if _DATE_LIKE.match(text)
        else "mixed"
    )
    return f"{shape}, {len(text)} characters"


_DATE_LIKE = re.compile(r"^[\d/.: T+-]+$")


def read_extract(
    path: Path, entity: Entity, on_reject: Callable[[RowProblem], None] | None = None
) -> Iterator[tuple[int, Record]]:
    """Yield (line number, typed record) for each data row of `path`.

    A row that cannot be typed is passed to `on_reject` and skipped; without `on_reject` it
    raises ContractViolation. File-level problems always raise ContractViolation."""
    try:
        with path.open(encoding=ENCODING, newline="") as handle:
            reader = csv.reader(handle, delimiter=DELIMITER, strict=True)
            header = next(reader, None)
            _check_header(path, entity, header)
            plan = _plan(entity)
            for row in reader:
                line = reader.line_num
                try:
                    yield line, _typed_record(plan, row)
                except _RowError as problem:
                    if on_reject is None:
                        raise ContractViolation(
                            path, line, problem.column, problem.reason
                        ) from None
                    on_reject(RowProblem(line, problem.column, problem.value_class, problem.reason))
    except UnicodeDecodeError as error:
        line, column = _undecodable_at(path, entity)
        raise ContractViolation(
            path, line, column, f"not valid {ENCODING} ({error.reason}); a latin-1 export?"
        ) from None
    except csv.Error as error:
        raise ContractViolation(path, reader.line_num, None, f"malformed CSV: {error}") from None


def _undecodable_at(path: Path, entity: Entity) -> tuple[int, str | None]:
    """Line and column of the first byte that is not valid in the contract's encoding (the
    decoder only knows its offset in a buffer)."""
    data = path.read_bytes()
    try:
        data.decode(ENCODING)
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        field = data.count(DELIMITER.encode(), line_start, error.start)
        names = entity.column_names
        return line, names[field] if line > 1 and field < len(names) else None
    return 0, None


def _check_header(path: Path, entity: Entity, header: list[str] | None) -> None:
    if header is None:
        raise ContractViolation(path, 1, None, "empty file: no header")
    if header and header[0].startswith("\ufeff"):
        raise ContractViolation(path, 1, None, "starts with a byte-order mark (BOM)")
    expected = list(entity.column_names)
    if header == expected:
        return
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    if not missing and not extra:
        reason = "columns out of order"
    else:
        reason = f"missing columns {missing}, unexpected columns {extra}"
    raise ContractViolation(path, 1, None, f"header does not match contract: {reason}")


class _RowError(ValueError):
    def __init__(self, column: str | None, value_class: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value_class, self.reason = column, value_class, reason


_Plan = tuple[tuple[str, bool, Callable[[str], object] | None, str], ...]


def _plan(entity: Entity) -> _Plan:
    """Per column: name, required, parser (None for text, kept as is), expected kind. Built once
    per file: hashing an Entity (all its columns) once per row cost as much as the typing."""
    return tuple(
        (
            column.name,
            column.required,
            None if column.type is ColumnType.TEXT else _PARSERS[column.type][0],
            _PARSERS[column.type][1],
        )
        for column in entity.columns
    )


def _typed_record(plan: _Plan, row: list[str]) -> Record:
    if len(row) != len(plan):
        raise _RowError(None, f"{len(row)} fields", f"{len(row)} fields, expected {len(plan)}")
    record: Record = {}
    for (name, required, parse, expected), text in zip(plan, row, strict=True):
        if not text:
            if required:
                raise _RowError(name, "empty", "required value is empty")
            record[name] = None
        elif parse is None:
            record[name] = text
        else:
            try:
                record[name] = parse(text)
            except ValueError:
                raise _RowError(name, value_class(text), f"not {expected}") from None
    return record

from datetime import UTC, datetime
from pathlib import Path

import pytest

from contact_platform.contract import ENTITIES
from contact_platform.contract.reader import ContractViolation, read_extract
from contact_platform.synthetic.generator import GeneratorSpec, generate

CALLS = ENTITIES["calls"]


@pytest.fixture
def calls_file(tmp_path: Path) -> Path:
    generate(GeneratorSpec(days=1, scale=0.05, associations=("paris",)), tmp_path, workers=1)
    return next(tmp_path.rglob("*_calls.csv"))


def _rewrite(path: Path, edit) -> Path:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return path


def _field(lines: list[str], line: int, column: str, value: str) -> list[str]:
    header = lines[0].split(";")
    fields = lines[line - 1].split(";")
    fields[header.index(column)] = value
    lines[line - 1] = ";".join(fields)
    return lines


def test_generated_file_reads_into_typed_records(calls_file: Path):
    records = list(read_extract(calls_file, CALLS))
    assert len(records) >= 10
    line, first = records[0]
    assert line == 2
    assert isinstance(first["received_at"], datetime)
    assert first["received_at"].tzinfo == UTC


def test_bad_timestamp_names_file_line_and_column_but_not_the_value(calls_file: Path):
    _rewrite(calls_file, lambda lines: _field(lines, 4, "received_at", "31/12/2024 23:00"))
    with pytest.raises(ContractViolation) as caught:
        list(read_extract(calls_file, CALLS))
    message = str(caught.value)
    assert calls_file.name in message and "line 4" in message and "received_at" in message
    assert "31/12/2024" not in message


def test_timestamp_without_offset_is_refused(calls_file: Path):
    _rewrite(calls_file, lambda lines: _field(lines, 2, "received_at", "2025-01-06T10:00:00"))
    with pytest.raises(ContractViolation, match="line 2, column received_at"):
        list(read_extract(calls_file, CALLS))


def test_missing_required_value(calls_file: Path):
    _rewrite(calls_file, lambda lines: _field(lines, 3, "patient_birth_name", ""))
    with pytest.raises(ContractViolation, match="line 3, column patient_birth_name: required"):
        list(read_extract(calls_file, CALLS))


def test_optional_value_may_be_empty(calls_file: Path):
    _rewrite(calls_file, lambda lines: _field(lines, 2, "patient_nir", ""))
    assert next(iter(read_extract(calls_file, CALLS)))[1]["patient_nir"] is None


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda lines: [lines[0].replace("call_id;", ""), *lines[1:]], "missing columns"),
        (lambda lines: [lines[0] + ";extra", *lines[1:]], "unexpected columns"),
        (lambda lines: [";".join(reversed(lines[0].split(";"))), *lines[1:]], "out of order"),
        (lambda lines: [lines[0].replace(";", ","), *lines[1:]], "missing columns"),
    ],
)
def test_header_problems_are_refused(calls_file: Path, edit, reason):
    _rewrite(calls_file, edit)
    with pytest.raises(ContractViolation, match=reason):
        list(read_extract(calls_file, CALLS))


def test_row_with_wrong_field_count(calls_file: Path):
    _rewrite(calls_file, lambda lines: [*lines[:3], lines[3] + ";surplus", *lines[4:]])
    with pytest.raises(ContractViolation, match=r"line 4: .* fields, expected"):
        list(read_extract(calls_file, CALLS))


def test_empty_file(tmp_path: Path):
    path = tmp_path / "paris_20250101_01_calls.csv"
    path.write_bytes(b"")
    with pytest.raises(ContractViolation, match="empty file"):
        list(read_extract(path, CALLS))


def test_byte_order_mark_is_refused(calls_file: Path):
    calls_file.write_bytes(b"\xef\xbb\xbf" + calls_file.read_bytes())
    with pytest.raises(ContractViolation, match="byte-order mark"):
        list(read_extract(calls_file, CALLS))


def test_decimal_and_boolean_columns(tmp_path: Path):
    generate(GeneratorSpec(days=1, scale=0.05, associations=("paris",)), tmp_path, workers=1)
    vitals = next(tmp_path.rglob("*_vital_signs.csv"))
    _rewrite(vitals, lambda lines: _field(lines, 2, "temperature_c", "37.80"))
    _, first = next(read_extract(vitals, ENTITIES["vital_signs"]))
    assert str(first["temperature_c"]) == "37.80"  # the delivered digits, not a float's
    _rewrite(vitals, lambda lines: _field(lines, 2, "temperature_c", "38,5"))
    with pytest.raises(ContractViolation, match="temperature_c: not a decimal number"):
        list(read_extract(vitals, ENTITIES["vital_signs"]))
    diagnoses = next(tmp_path.rglob("*_diagnoses.csv"))
    _rewrite(diagnoses, lambda lines: _field(lines, 2, "is_primary", "yes"))
    with pytest.raises(ContractViolation, match="is_primary: not true or false"):
        list(read_extract(diagnoses, ENTITIES["diagnoses"]))


def test_latin1_file_is_refused_naming_the_line_and_column_of_the_first_bad_byte(
    calls_file: Path,
):
    ascii_only = calls_file.read_text(encoding="utf-8").encode("ascii", "replace").decode()
    lines = ascii_only.splitlines(keepends=True)
    fields = lines[2].split(";")
    column = CALLS.column_names.index("call_reason_text")
    fields[column] = "fièvre depuis hier"
    lines[2] = ";".join(fields)
    calls_file.write_bytes("".join(lines).encode("latin-1", "replace"))
    with pytest.raises(ContractViolation, match="not valid utf-8") as refused:
        list(read_extract(calls_file, CALLS))
    assert (refused.value.line, refused.value.column) == (3, "call_reason_text")

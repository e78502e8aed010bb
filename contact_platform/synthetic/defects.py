"""Seeded defects, each recorded in the ground truth exactly where it was planted.

Row defects change rows before a file is written; file defects change how a delivery is
written (its encoding, its end, its date, a second copy). Defects draw from their own random
stream, so asking for defects never changes the clean content of a delivery.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from contact_platform.contract import ENTITIES

ROW_DEFECTS = {
    "duplicate_rows": "a call row delivered twice in the same file",
    "missing_mandatory": "a required value left empty (patient_birth_date of a call)",
    "invalid_nir_key": "a NIR whose control key is wrong",
    "unknown_icpc2": "a diagnosis code that ICPC-2 does not have (Q99)",
    "implausible_vitals": "a temperature of 48.5 °C or an SpO2 of 130 %",
    "time_order": "an encounter that ends before it starts",
}
FILE_DEFECTS = {
    "late_file": "a delivery produced 2 to 5 days after its period",
    "redelivery": "a delivery sent again with the next sequence number",
    "latin1_file": "a calls file encoded in latin-1 instead of UTF-8",
    "truncated_file": "an encounters file cut in the middle of a row",
}
DEFECTS = {**ROW_DEFECTS, **FILE_DEFECTS}

Rows = list[list[str]]


@dataclass(frozen=True)
class PlantedDefect:
    kind: str
    file: str
    line: int | None
    column: str | None


def _index(entity: str, column: str) -> int:
    return ENTITIES[entity].column_names.index(column)


def plant_row_defect(
    kind: str, rows: dict[str, Rows], rng: np.random.Generator
) -> tuple[str, int, str | None] | None:
    """Apply `kind` to one row of `rows`; return (entity, line, column), or None if no row fits."""
    if kind == "duplicate_rows":
        calls = rows["calls"]
        if not calls:
            return None
        calls.append(list(calls[int(rng.integers(len(calls)))]))
        return "calls", len(calls) + 1, None
    if kind == "missing_mandatory":
        return _set(rows, "calls", "patient_birth_date", "", rng)
    if kind == "invalid_nir_key":
        column = _index("calls", "patient_nir")
        candidates = [i for i, row in enumerate(rows["calls"]) if row[column]]
        if not candidates:
            return None
        i = candidates[int(rng.integers(len(candidates)))]
        nir = rows["calls"][i][column]
        rows["calls"][i][column] = nir[:13] + f"{(int(nir[13:]) % 97) + 1:02d}"
        return "calls", i + 2, "patient_nir"
    if kind == "unknown_icpc2":
        return _set(rows, "diagnoses", "icpc2_code", "Q99", rng)
    if kind == "implausible_vitals":
        column = "temperature_c" if rng.random() < 0.5 else "spo2_percent"
        return _set(
            rows, "vital_signs", column, "48.5" if column == "temperature_c" else "130", rng
        )
    if kind == "time_order":
        table = rows["encounters"]
        if not table:
            return None
        i = int(rng.integers(len(table)))
        start, end = _index("encounters", "started_at"), _index("encounters", "ended_at")
        table[i][start], table[i][end] = table[i][end], table[i][start]
        return "encounters", i + 2, "ended_at"
    raise ValueError(f"{kind} is not a row defect")


def _set(
    rows: dict[str, Rows], entity: str, column: str, value: str, rng: np.random.Generator
) -> tuple[str, int, str] | None:
    table = rows[entity]
    if not table:
        return None
    i = int(rng.integers(len(table)))
    table[i][_index(entity, column)] = value
    return entity, i + 2, column

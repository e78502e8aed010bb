"""The 63 associations: the dbt seed `associations.csv` is the single list, read here too."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from contact_platform.settings import DBT_PROJECT_DIR

ASSOCIATIONS_SEED = DBT_PROJECT_DIR / "seeds" / "associations.csv"


@dataclass(frozen=True)
class Association:
    index: int
    association_id: str
    name: str
    department: str
    timezone: str
    activity_weight: float  # share of national activity, relative (illustrative sizes)
    fixed_centres: int


@cache
def associations() -> tuple[Association, ...]:
    with ASSOCIATIONS_SEED.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Association(
                index,
                row["association_id"],
                row["association_name"],
                row["department_code"],
                row["timezone"],
                float(row["activity_weight"]),
                int(row["fixed_centres"]),
            )
            for index, row in enumerate(csv.DictReader(handle))
        )


def association_by_id(association_id: str) -> Association:
    for association in associations():
        if association.association_id == association_id:
            return association
    known = ", ".join(a.association_id for a in associations())
    raise ValueError(f"unknown association {association_id!r}; known: {known}")

"""ICPC-2 codes known to the platform.

The code list is the dbt seed `icpc2_codes.csv`, so that dbt models and Python validate against the
same table. The project ships a demo subset; a deployment replaces the seed with its licensed table.
"""

from __future__ import annotations

import csv
from functools import cache

from contact_platform.settings import DBT_PROJECT_DIR

ICPC2_SEED = DBT_PROJECT_DIR / "seeds" / "icpc2_codes.csv"


@cache
def icpc2_codes() -> tuple[str, ...]:
    with ICPC2_SEED.open(encoding="utf-8", newline="") as handle:
        return tuple(sorted(row["icpc2_code"] for row in csv.DictReader(handle)))

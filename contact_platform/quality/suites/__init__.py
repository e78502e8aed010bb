"""Expectation suites, one per asset, stored as JSON under expectations/.

Generated from the extract contract, the dbt YAML and the OMOP specification, plus the business
rules written next to them. `contact quality write-suites` regenerates the JSON; a test fails
when the stored files and the generators disagree, so suites are reviewed in git and never drift.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from contact_platform.quality.suites.expectation import Suite
from contact_platform.quality.suites.omop import omop_suites, vocabulary_suites
from contact_platform.quality.suites.published import published_suites
from contact_platform.quality.suites.raw import raw_suites
from contact_platform.quality.suites.staging import staging_suites
from contact_platform.settings import EXPECTATIONS_DIR


@dataclass(frozen=True)
class SuiteTarget:
    """A stored suite and the warehouse table (and so the asset, keyed schema/table) it gates."""

    schema: str
    table: str

    @property
    def name(self) -> str:
        return f"{self.schema}_{self.table}"

    @property
    def path(self) -> Path:
        return EXPECTATIONS_DIR / f"{self.name}.json"

    def load(self) -> Suite:
        return json.loads(self.path.read_text(encoding="utf-8"))


def generated_suites() -> dict[SuiteTarget, Suite]:
    """Every suite as the generators make it, by the table it gates."""
    suites = [
        *raw_suites(),
        *staging_suites(),
        *omop_suites(),
        *published_suites(),
        *vocabulary_suites(),
    ]
    return {_target(suite): suite for suite in suites}


def _target(suite: Suite) -> SuiteTarget:
    schema, table = suite["name"].split("_", 1)
    return SuiteTarget(schema, table)


def stored_targets() -> list[SuiteTarget]:
    """The suites under expectations/, what the checks run."""
    return [_target({"name": path.stem}) for path in sorted(EXPECTATIONS_DIR.glob("*.json"))]


def render(suite: Suite) -> str:
    return json.dumps(suite, indent=2, ensure_ascii=False) + "\n"


def write_suites() -> list[Path]:
    """Regenerate every suite under expectations/, removing those no generator makes."""
    suites = generated_suites()
    for stale in set(stored_targets()) - set(suites):
        stale.path.unlink()
    for target, suite in suites.items():
        target.path.write_text(render(suite), encoding="utf-8")
    return [target.path for target in suites]

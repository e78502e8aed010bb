"""How well linkage and scrubbing do, measured against the generator's ground truth.

Pure functions over plain mappings, used by the tests and by the benchmark. The truth files
are written by `contact generate` apart from the deliveries and never enter the warehouse.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from contact_platform.contract.entities import DELIMITER

_ENTITY_PREFIX = {"calls": "call", "encounters": "encounter"}
_PLACEHOLDER = re.compile(r"\[(?:NOM|TEL|NIR|EMAIL|DATE|ADRESSE|CP)\]")


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise_scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> PairScores:
    """Precision and recall over pairs of records: a pair is linked when both records got the
    same person. Only records present in both mappings count."""
    common = predicted.keys() & truth.keys()
    both = Counter((predicted[r], truth[r]) for r in common)
    linked = sum(_pairs(n) for n in Counter(predicted[r] for r in common).values())
    actual = sum(_pairs(n) for n in Counter(truth[r] for r in common).values())
    correct = sum(_pairs(n) for n in both.values())
    return PairScores(
        precision=correct / linked if linked else 1.0,
        recall=correct / actual if actual else 1.0,
        true_pairs=actual,
        predicted_pairs=linked,
    )


def true_persons(truth_dir: Path) -> dict[str, str]:
    """record key (as in int_person_links) -> true person, from the ground truth."""
    persons = {}
    for path in sorted((truth_dir / "records").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter=DELIMITER):
                key = f"{_ENTITY_PREFIX[row['entity']]}:{path.stem}:{row['record_id']}"
                persons[key] = row["person"]
    return persons


@dataclass(frozen=True)
class ScrubScores:
    recall_by_kind: dict[str, float]
    planted_by_kind: dict[str, int]
    precision: float

    @property
    def recall(self) -> float:
        planted = sum(self.planted_by_kind.values())
        found = sum(self.recall_by_kind[k] * n for k, n in self.planted_by_kind.items())
        return found / planted if planted else 1.0


def planted_identifiers(truth_dir: Path) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(association, call_id) -> [(kind, value)] planted in that call's note."""
    planted: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for path in sorted((truth_dir / "identifiers").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter=DELIMITER):
                planted.setdefault((path.stem, row["call_id"]), []).append(
                    (row["kind"], row["value"])
                )
    return planted


def scrub_scores(
    scrubbed: Iterable[tuple[str, str, str | None]],
    planted: Mapping[tuple[str, str], list[tuple[str, str]]],
) -> ScrubScores:
    """`scrubbed` is (association, call_id, scrubbed note). An identifier is caught when its
    value no longer appears; precision counts placeholders that stand for a planted value."""
    caught, total = Counter(), Counter()
    placeholders = expected = 0
    for association, call_id, text in scrubbed:
        found = planted.get((association, call_id), [])
        text = text or ""
        placeholders += len(_PLACEHOLDER.findall(text))
        expected += len(found)
        for kind, value in found:
            total[kind] += 1
            caught[kind] += value not in text
    return ScrubScores(
        recall_by_kind={kind: caught[kind] / total[kind] for kind in total},
        planted_by_kind=dict(total),
        precision=min(1.0, expected / placeholders) if placeholders else 1.0,
    )
